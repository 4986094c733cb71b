import React from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { useSiteSettings, type SiteSettings } from '../client/use-variant.ts';

type SiteChapter = SiteSettings['chapters'][number];

interface Group {
  part: string | null;
  /** The number of the group's first chapter in the book. */
  start: number;
  chapters: SiteChapter[];
}

/** The chapters grouped by the part each opens, the back matter on its own (chapters before the first part have none). */
function byPart(chapters: SiteChapter[]): Group[] {
  const groups: Group[] = [];
  chapters.forEach((chapter, i) => {
    const last = groups[groups.length - 1];
    const leaves = chapter.matter === 'back' && last?.chapters[last.chapters.length - 1]?.matter !== 'back';
    if (!last || chapter.part || leaves) groups.push({ part: chapter.part, start: i + 1, chapters: [] });
    groups[groups.length - 1]!.chapters.push(chapter);
  });
  return groups;
}

/** The book's home page: its chapters in book order (by part), and how to run them locally. */
export default function Home() {
  const { siteConfig } = useDocusaurusContext();
  const { chapters, variants, unlisted, bookList, dev } = useSiteSettings();
  return (
    <Layout title={siteConfig.title} description={siteConfig.tagline}>
      <main className="container margin-vert--xl bookrun-home">
        <h1>{siteConfig.title}</h1>
        <p className="bookrun-home__tagline">{siteConfig.tagline}</p>
        <h2>Chapters</h2>
        {byPart(chapters.filter((c) => !c.missing)).map((group, g) => (
          <section key={g} className="bookrun-home__part">
            {group.part && <h3>{group.part}</h3>}
            <ol className="bookrun-home__chapters" start={group.start}>
              {group.chapters.map((c) => (
                <li key={c.key}>
                  <Link to={c.path}>{c.title}</Link>
                </li>
              ))}
            </ol>
          </section>
        ))}
        {dev && unlisted.length > 0 && (
          <div className="alert alert--warning bookrun-home__unlisted" role="status">
            <strong>Not in the book (dev only):</strong> {unlisted.join(', ')}. These files sit beside the chapters but{' '}
            {bookList} does not list them, so the site leaves them out.
          </div>
        )}
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
