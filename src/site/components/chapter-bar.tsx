import React, { useEffect, useState, useSyncExternalStore } from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { currentClient, subscribeClient } from '../client/terminal-client.ts';
import { useChapterKey } from '../client/use-chapter-key.ts';
import { useOnlineData } from '../client/use-online-data.ts';
import { useSiteSettings } from '../client/use-variant.ts';
import { toDateText } from '../to-date-text.ts';
import VariantPicker from './variant-picker.tsx';

const none = () => null;

/** "Verified on <variant>, <date>" for the chosen variant (CSS shows the line of the variant on <html>). */
function Verification() {
  const chapter = useChapterKey();
  const { verification } = useOnlineData();
  const { variants } = useSiteSettings();
  const runs = chapter ? (verification[chapter] ?? {}) : {};
  const verified = Object.values(runs);
  const others = variants.filter((v) => !runs[v]);
  return (
    <>
      {verified.map((run) => (
        <p key={run.variant} className="bookrun-verified" data-bookrun-only={run.variant} data-verified={run.state}>
          {run.state === 'verified'
            ? `Verified on ${run.variant}, ${toDateText(run.startedAt)}`
            : run.state === 'failed'
              ? `Not verified on this variant: the last run on ${run.variant} (${toDateText(run.startedAt)}) failed${run.failedLines.length ? ` at line ${run.failedLines.join(', ')}` : ''}`
              : `Not verified on this variant: the last run on ${run.variant} (${toDateText(run.startedAt)}) was of an earlier version of this chapter`}
        </p>
      ))}
      {others.length > 0 && (
        <p className="bookrun-verified" data-bookrun-only={others.join(' ')} data-verified="none">
          Not verified on this variant
        </p>
      )}
    </>
  );
}

/** The one line that says how to run the book from this page: the command to copy, with this book's address. */
function ConnectHint() {
  const { siteConfig } = useDocusaurusContext();
  // The address the reader has open (the build's own `url` until the page runs in a browser).
  const [bookUrl, setBookUrl] = useState(`${siteConfig.url}${siteConfig.baseUrl}`);
  const [copied, setCopied] = useState(false);
  useEffect(() => setBookUrl(`${location.origin}${siteConfig.baseUrl}`), [siteConfig.baseUrl]);
  const command = `npx bookrun connect ${bookUrl}`;
  return (
    <p className="bookrun-bar__hint">
      To run these commands from the page in your own terminal, start bookrun there:{' '}
      <span className="bookrun-connect-line">
      <code className="bookrun-connect">{command}</code>
      <button
        type="button"
        className="bookrun-button"
        aria-label="Copy the bookrun connect command"
        onClick={() => {
          void navigator.clipboard?.writeText(command).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      </span>
    </p>
  );
}

/**
 * The bar above every chapter: the variant picker, whether the chapter was verified on the chosen variant, and
 * how to run the book (one line with the command to copy; once paired, the Run buttons say it).
 */
export default function ChapterBar() {
  const client = useSyncExternalStore(subscribeClient, currentClient, none);
  return (
    <div className="bookrun-bar">
      <VariantPicker />
      <Verification />
      {client ? <p className="bookrun-bar__hint">Run buttons send each step to your terminal below.</p> : <ConnectHint />}
    </div>
  );
}
