import React, { useEffect, useState, useSyncExternalStore } from 'react';
import { Highlight } from 'prism-react-renderer';
import { usePrismTheme } from '@docusaurus/theme-common';
import useIsBrowser from '@docusaurus/useIsBrowser';
import { checkValue, type ValueProblem } from '../../core/check-value.ts';
import { blockKey, currentClient, subscribeClient, type ClientState, type RunState } from '../client/terminal-client.ts';
import { useVariant } from '../client/use-variant.ts';
import type { BlockProps, SiteSegment, SiteStep } from '../to-block-props.ts';

const none = () => null;
const noSubscribe = () => () => {};

function valuesKey(chapter: string): string {
  return `bookrun.values:${chapter}`;
}

/**
 * The chapter's stored values that the value rule accepts. A value it refuses (kept by an older version of the
 * page, which did not check) is dropped, and the storage rewritten without it, so no later Run can send it.
 */
function readStoredValues(chapter: string): Record<string, string> {
  let stored: unknown;
  try {
    stored = JSON.parse(localStorage.getItem(valuesKey(chapter)) ?? '{}');
  } catch {
    stored = {};
  }
  const entries = typeof stored === 'object' && stored !== null ? Object.entries(stored as Record<string, unknown>) : [];
  const kept = Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string' && checkValue(e[1]) === null));
  if (Object.keys(kept).length !== entries.length) {
    try {
      localStorage.setItem(valuesKey(chapter), JSON.stringify(kept));
    } catch {
      // Storage disabled: nothing was kept anyway.
    }
  }
  return kept;
}

/**
 * Placeholder values, remembered per chapter in local storage (shared by the chapter's blocks). Values are
 * data: `set` refuses a value the rule refuses (`checkValue`: a control character would act as a key in the
 * terminal), returning why; it is neither shown nor stored.
 */
function usePlaceholderValues(chapter: string): [Record<string, string>, (name: string, value: string) => ValueProblem | null] {
  const [values, setValues] = useState<Record<string, string>>({});
  useEffect(() => setValues(readStoredValues(chapter)), [chapter]);
  const set = (name: string, value: string): ValueProblem | null => {
    const problem = checkValue(value);
    if (problem) return problem;
    setValues((old) => ({ ...old, [name]: value }));
    try {
      localStorage.setItem(valuesKey(chapter), JSON.stringify({ ...readStoredValues(chapter), [name]: value }));
    } catch {
      // Storage disabled: values last for this page.
    }
    return null;
  };
  return [values, set];
}

function stateLabel(run: RunState | undefined, steps: SiteStep[]): string {
  if (!run || run.status === 'idle') return 'Not run';
  const terminal = run.terminal && run.terminal !== 1 ? ` in Terminal ${run.terminal}` : '';
  switch (run.status) {
    case 'running':
      // Another attempt of a "Repeat if" or "Wait until" step: the count, and why (the judge's words).
      return run.attempt ? `Running${terminal}, attempt ${run.attempt}${run.why ? ` (${run.why})` : ''}…` : `Running${terminal}…`;
    case 'passed': {
      const after = run.attempts && run.attempts > 1 ? ` after ${run.attempts} attempts` : '';
      return run.expect?.matched ? `Passed${after} · output as in the book` : `Passed${after}`;
    }
    case 'interrupted':
      return 'Stopped';
    case 'failed': {
      const step = steps.find((s) => s.id === run.step);
      const where = step ? ` at line ${step.line}` : '';
      const after = run.attempts && run.attempts > 1 ? ` after ${run.attempts} attempts` : '';
      if (run.expect && !run.expect.matched) return `Failed${where}${after}: output differs from the book`;
      if (run.reason && !run.reason.startsWith('exit status')) return `Failed${where}${after}: ${run.reason}`;
      return `Failed${where}${after} (exit ${run.exitCode ?? '?'})`;
    }
    case 'error':
      if (run.placeholder) return `Not run: the value of ${run.placeholder} was refused`;
      return `Not run: ${run.message ?? 'error'}`;
  }
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fallback for pages without the async clipboard (plain http on another host).
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

function Segment({ segment, step, language }: { segment: SiteSegment; step: SiteStep | undefined; language: string }) {
  const theme = usePrismTheme();
  const body = (
    <Highlight code={segment.text} language={language} theme={theme}>
      {({ tokens, getLineProps, getTokenProps }) =>
        tokens.map((line, i) => (
          <span key={i} {...getLineProps({ line })}>
            {line.map((token, k) => (
              <span key={k} {...getTokenProps({ token })} />
            ))}
            {'\n'}
          </span>
        ))
      }
    </Highlight>
  );
  if (segment.kind === 'step' && step) {
    return (
      <span className="bookrun-step" data-step={step.id} data-bookrun-only={step.variants?.join(' ')} data-condition={step.condition ?? undefined}>
        {step.conditionLabel && <span className="bookrun-step__label">{step.conditionLabel}</span>}
        {body}
      </span>
    );
  }
  return <span className={segment.kind === 'note' ? 'bookrun-note' : 'bookrun-text'}>{body}</span>;
}

/**
 * A shell block of a chapter: the commands (other variants' steps hidden by CSS), Copy (the chosen
 * variant's commands only), and with a terminal server connected: placeholder inputs, Run, Stop for
 * watches, and the block's state with the expected-output diff.
 */
export default function ShellBlock({ props }: { props: BlockProps }) {
  const variant = useVariant();
  const isBrowser = useIsBrowser();
  const theme = usePrismTheme();
  const client = useSyncExternalStore(subscribeClient, currentClient, none);
  const state = useSyncExternalStore<ClientState | null>(client?.subscribe ?? noSubscribe, client?.getState ?? none, none);
  const [values, setValue] = usePlaceholderValues(props.chapter);
  /** Why the reader's last input into a field was refused, per placeholder. */
  const [refused, setRefused] = useState<Record<string, string>>({});
  /** The run whose refusal the reader has answered by editing the field (it no longer shows). */
  const [answered, setAnswered] = useState<RunState | undefined>(undefined);
  const [copied, setCopied] = useState(false);
  const run = state?.blocks[blockKey(props)];
  const connected = state?.connection.kind === 'ready';
  const steps = new Map(props.steps.map((s) => [s.id, s]));
  const applying = props.steps.filter((s) => s.variants === null || s.variants.includes(variant));
  const missing = props.placeholders.filter((p) => applying.some((s) => s.placeholders.includes(p.name)) && !values[p.name]?.trim());

  // The block itself hides when none of its steps applies to the chosen variant.
  const anyEverywhere = props.steps.some((s) => s.variants === null);
  const blockVariants = anyEverywhere ? null : [...new Set(props.steps.flatMap((s) => s.variants ?? []))];
  const labels = [...new Set(props.steps.map((s) => s.conditionLabel).filter(Boolean))].join('; ');

  const onCopy = async () => {
    await copyText(applying.map((s) => s.command).join('\n\n'));
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const runningStep = run?.status === 'running' ? steps.get(run.step ?? '') : undefined;

  return (
    <>
      <div
        className="bookrun-block"
        data-state={run?.status ?? 'idle'}
        data-line={props.line}
        data-bookrun-only={blockVariants?.join(' ')}
      >
        <div className="bookrun-block__code theme-code-block" style={{ backgroundColor: theme.plain.backgroundColor, color: theme.plain.color }}>
          <pre key={String(isBrowser)} className={`prism-code language-${props.lang}`}>
            <code>
              {props.segments.map((segment, i) => (
                <Segment key={i} segment={segment} step={segment.kind === 'step' ? steps.get(segment.step) : undefined} language={props.lang} />
              ))}
            </code>
          </pre>
        </div>
        <div className="bookrun-block__bar">
          {connected &&
            props.placeholders
              .filter((p) => applying.some((s) => s.placeholders.includes(p.name)))
              .map((p) => {
                // The reader's refused input, else the server's refusal of the last Run, shows on the field.
                const error = refused[p.name] ?? (run?.status === 'error' && run.placeholder === p.name && run !== answered ? run.message : undefined);
                const errorId = `bookrun-${props.block}-${p.name}-error`;
                return (
                  <label key={p.name} className="bookrun-placeholder" title={p.description ?? undefined} data-invalid={error ? 'true' : undefined}>
                    <span>{p.name}</span>
                    <input
                      type="text"
                      value={values[p.name] ?? ''}
                      placeholder={p.description ?? '[...]'}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId : undefined}
                      onChange={(e) => {
                        const problem = setValue(p.name, e.target.value);
                        setRefused(({ [p.name]: _, ...rest }) => (problem ? { ...rest, [p.name]: `${p.name} not taken: the text ${problem.message}` } : rest));
                        if (!problem) setAnswered(run);
                      }}
                    />
                    {error && (
                      <span className="bookrun-placeholder__error" id={errorId} role="alert">
                        {error}
                      </span>
                    )}
                  </label>
                );
              })}
          <button type="button" className="bookrun-button" onClick={onCopy} aria-label={`Copy the commands for ${variant}`}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          {connected && (
            <button
              type="button"
              className="bookrun-button bookrun-button--run"
              disabled={missing.length > 0 || run?.status === 'running' || applying.length === 0}
              title={missing.length > 0 ? `Fill in ${missing.map((p) => p.name).join(', ')} first` : undefined}
              aria-label={`Run the commands at line ${props.line}`}
              onClick={() => void client!.runBlock(props, variant, values)}
            >
              Run
            </button>
          )}
          {(runningStep?.watch || (run?.status === 'running' && run.attempt)) && runningStep && (
            <button type="button" className="bookrun-button bookrun-button--stop" onClick={() => client!.interrupt(runningStep.terminal)}>
              Stop (ctrl+c)
            </button>
          )}
          {connected && (
            <span className="bookrun-block__state" role="status" data-state={run?.status ?? 'idle'}>
              {stateLabel(run, props.steps)}
            </span>
          )}
        </div>
        {run?.expect && !run.expect.matched && (
          <details className="bookrun-diff" open>
            <summary>Expected output (−) vs. what your terminal printed (+)</summary>
            <pre>
              {run.expect.diff.split('\n').map((l, i) => (
                <span key={i} className={l.startsWith('+') ? 'bookrun-diff__add' : l.startsWith('-') ? 'bookrun-diff__del' : undefined}>
                  {l}
                  {'\n'}
                </span>
              ))}
            </pre>
          </details>
        )}
      </div>
      {blockVariants && (
        <p className="bookrun-skipped" data-bookrun-unless={blockVariants.join(' ')}>
          A block of commands {labels || 'for other variants'} is hidden for {variant}.
        </p>
      )}
    </>
  );
}
