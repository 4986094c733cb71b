// Types of the classic theme's components (`@theme/CodeBlock`, `@theme/Layout`, …) for the site's wrappers.
/// <reference types="@docusaurus/theme-classic" />
/// <reference types="@docusaurus/plugin-content-docs" />
