import React, { type ReactNode } from 'react';
import A from '@theme-init/MDXComponents/A';
import useBaseUrl from '@docusaurus/useBaseUrl';
import { chapterGistName } from '../../../core/gist-links.ts';
import { useChapterKey } from '../../client/use-chapter-key.ts';
import { useOnlineData } from '../../client/use-online-data.ts';

type Props = React.ComponentProps<typeof A>;

/** A target that stands for "the URL comes later" (`TODO:`, `TODO: Viktor`, empty, `#`): never a link readers follow. */
function isPlaceholder(href: string | undefined): boolean {
  const target = (href ?? '').trim();
  return target === '' || target === '#' || /^todo\b/i.test(target);
}

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (React.isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

/**
 * Links in chapters: a gist link the author left without a URL (`[site-tour.sh](TODO:)`, the "commands … are
 * available in the [Gist](TODO:)" sentence) points to the gist script the build published
 * (`bookrun/gists/NAME.sh`); another link without a URL is plain text. A reader never lands on `TODO:`.
 */
export default function AWrapper(props: Props) {
  const { gists } = useOnlineData();
  const chapter = useChapterKey();
  const base = useBaseUrl('/bookrun/gists/');
  if (!isPlaceholder(props.href)) return <A {...props} />;
  const named = /([A-Za-z0-9._-]+\.sh)\b/.exec(textOf(props.children))?.[1];
  const own = chapter ? chapterGistName(chapter) : null;
  const gist = named && gists.includes(named) ? named : !named && own && gists.includes(own) ? own : null;
  if (gist) return <A {...props} href={`${base}${gist}`} />;
  return <span className="bookrun-unlinked">{props.children}</span>;
}
