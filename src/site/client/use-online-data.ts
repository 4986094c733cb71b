import useGlobalData from '@docusaurus/useGlobalData';
import type { OnlineData } from '../online-plugin.ts';

const EMPTY: OnlineData = { sources: {}, verification: {}, gists: [] };

/** What the online plugin gave the pages (published gists, run evidence); empty when it is not in the site. */
export function useOnlineData(): OnlineData {
  const data = useGlobalData()['bookrun-online']?.default as OnlineData | undefined;
  return data ?? EMPTY;
}
