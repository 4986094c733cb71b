import React from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { useSiteSettings } from '../site/client/use-variant.ts';

/** The book's home page: its chapters in book order, and how to run them locally. */
export default function Home() {
  const { siteConfig } = useDocusaurusContext();
  const { chapters, variants } = useSiteSettings();
  return (
    <Layout title={siteConfig.title} description={siteConfig.tagline}>
      <main className="container margin-vert--xl bookrun-home">
        <h1>{siteConfig.title}</h1>
        <p className="bookrun-home__tagline">{siteConfig.tagline}</p>
        <h2>Chapters</h2>
        <ol className="bookrun-home__chapters">
          {chapters
            .filter((c) => !c.missing)
            .map((c) => (
              <li key={c.key}>
                <Link to={c.path}>{c.title}</Link>
              </li>
            ))}
        </ol>
        <p>
          Every chapter works for {variants.length} variants ({variants.join(', ')}): pick yours at the top of a chapter and the
          commands that do not apply to it are hidden.
        </p>
        <p>
          To run the commands from the page against your own cluster, run the book locally: <code>npx bookrun serve</code>
        </p>
      </main>
    </Layout>
  );
}
