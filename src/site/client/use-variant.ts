import { useSyncExternalStore } from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { readVariant, subscribeVariant } from './variant-store.ts';

/** The book's site settings the config passes in `customFields.bookrun`. */
export interface SiteSettings {
  variants: string[];
  defaultVariant: string;
  dev: boolean;
  /** The book's chapters in order: key (as in bookrun.yaml), title, route, and the part each opens. */
  chapters: Array<{ key: string; title: string; path: string; missing: boolean; part: string | null; matter: 'front' | 'main' | 'back' }>;
  /** Dev site only: chapter files beside the book's that it does not list. */
  unlisted: string[];
  /** Where the chapters are listed (`manuscript/Book.txt` or bookrun.yaml). */
  bookList: string;
  terminalUrl: string | null;
}

/** The site settings the site config (src/site/to-site-config.ts) passes. */
export function useSiteSettings(): SiteSettings {
  const { siteConfig } = useDocusaurusContext();
  return siteConfig.customFields!.bookrun as SiteSettings;
}

/**
 * The chosen variant. The server snapshot is the book's default, so hydration always matches the HTML;
 * the stored or URL choice takes over right after (CSS already showed it before paint).
 */
export function useVariant(): string {
  const { defaultVariant, variants } = useSiteSettings();
  return useSyncExternalStore(
    subscribeVariant,
    () => {
      const v = readVariant();
      return v && variants.includes(v) ? v : defaultVariant;
    },
    () => defaultVariant,
  );
}
