import { useDoc } from '@docusaurus/plugin-content-docs/client';
import { useOnlineData } from './use-online-data.ts';

/** The chapter key (as in bookrun.yaml) of the doc page being rendered; null outside a chapter. */
export function useChapterKey(): string | null {
  const { sources } = useOnlineData();
  let source: string | null = null;
  try {
    source = useDoc().metadata.source;
  } catch {
    // not inside a doc page (the home page, a plain page)
  }
  return source ? (sources[source] ?? null) : null;
}
