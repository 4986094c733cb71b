import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Connection, TerminalClient } from '../client/terminal-client.ts';

const HEIGHT_KEY = 'bookrun.panelHeight';

/**
 * One xterm.js terminal bound to terminal N of the server; loaded in the browser only. Screen-reader mode is on;
 * the terminal takes Tab for the shell (completion), so Escape then Tab (or Shift+Tab) leaves it, as in
 * CodeMirror: the keyboard is never trapped.
 */
function TerminalView({ client, terminal, visible }: { client: TerminalClient; terminal: number; visible: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const fitRef = useRef<{ fit(): void } | null>(null);
  useEffect(() => {
    let disposed = false;
    const cleanups: Array<() => void> = [];
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !ref.current) return;
      const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 13, scrollback: 5000, screenReaderMode: true, theme: { background: '#1b1b1d' } });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(ref.current);
      // Escape, then Tab: the next Tab (or Shift+Tab) moves the focus out instead of completing in the shell.
      let escaped = false;
      term.attachCustomKeyEventHandler((event) => {
        if (event.type !== 'keydown') return true;
        if (event.key === 'Tab' && escaped) {
          escaped = false;
          return false;
        }
        escaped = event.key === 'Escape';
        return true;
      });
      const resize = term.onResize(({ cols, rows }) => client.resize(terminal, cols, rows));
      try {
        fit.fit();
      } catch {
        // Hidden tabs have no size yet; fitted when shown.
      }
      fitRef.current = fit;
      cleanups.push(() => term.dispose());
      // Attached once fitted: the shell starts at the panel's size, not 80×24.
      cleanups.push(client.attach(terminal, { write: (data, done) => term.write(data, done), size: () => ({ cols: term.cols, rows: term.rows }) }));
      const input = term.onData((data) => client.input(terminal, data));
      cleanups.push(() => input.dispose(), () => resize.dispose());
      const observer = new ResizeObserver(() => {
        if (ref.current && ref.current.offsetHeight > 0) fit.fit();
      });
      observer.observe(ref.current);
      cleanups.push(() => observer.disconnect());
      void client.open(terminal);
    })();
    return () => {
      disposed = true;
      for (const c of cleanups.reverse()) c();
    };
  }, [client, terminal]);
  useEffect(() => {
    if (visible) fitRef.current?.fit();
  }, [visible]);
  return (
    <div
      role="tabpanel"
      id={`bookrun-terminal-${terminal}`}
      aria-label={`Terminal ${terminal}`}
      aria-describedby="bookrun-terminal-keys"
      className="bookrun-panel__terminal"
      hidden={!visible}
      ref={ref}
    />
  );
}

/** What the panel says about its connection: connected, connecting, or what the reader can do. */
function ConnectionNote({ client, connection }: { client: TerminalClient; connection: Connection }) {
  if (connection.kind === 'ready') return <>connected · {connection.cwd}</>;
  if (connection.kind === 'connecting') return <>connecting…</>;
  if (connection.kind === 'closed') return <>{connection.message}</>;
  if (connection.kind === 'permission' && connection.state === 'prompt') {
    return (
      <>
        Your browser will ask whether this site may reach devices on your local network. That is <code>bookrun connect</code>, on this computer
        (127.0.0.1:{connection.port}): allow it, and the Run buttons type the book&apos;s commands into your terminal. Nothing else is reachable through
        it. <button type="button" className="bookrun-button bookrun-button--run" onClick={() => client.connect()}>Connect to my terminal</button>
      </>
    );
  }
  if (connection.kind === 'permission') {
    return (
      <>
        This site may not reach devices on your local network, so it cannot reach <code>bookrun connect</code> (127.0.0.1:{connection.port}). To allow
        it, open the site settings (the icon left of the address), set &quot;Local network access&quot; to Allow, then reload.
      </>
    );
  }
  return null;
}
/**
 * The terminal panel docked at the bottom: a tab per terminal ("Terminal 1", "Terminal 2"), Ctrl+C,
 * resizable by its top edge, collapsible. The page's content gets bottom padding of the same height.
 */
export default function TerminalPanel({ client }: { client: TerminalClient }) {
  const state = useSyncExternalStore(client.subscribe, client.getState, client.getState);
  const [stored, setHeight] = useState(() => Number(localStorage.getItem(HEIGHT_KEY)) || 280);
  // Never more than the screen can spare: on a small (or landscape phone) screen the page stays readable.
  const [viewport, setViewport] = useState(() => window.innerHeight);
  useEffect(() => {
    const onResize = () => setViewport(window.innerHeight);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const height = Math.max(120, Math.min(stored, Math.round(viewport * 0.6)));
  const open = state.panelOpen;
  useEffect(() => {
    const root = document.documentElement;
    root.style.setProperty('--bookrun-panel-height', open ? `${height}px` : '2.5rem');
    // A data attribute, not a class: Docusaurus' <Head> rewrites <html class> on every page.
    root.setAttribute('data-bookrun-panel', open ? 'open' : 'closed');
    return () => root.removeAttribute('data-bookrun-panel');
  }, [open, height]);

  const onDrag = (event: React.PointerEvent<HTMLDivElement>) => {
    const startY = event.clientY;
    const startHeight = height;
    const move = (e: PointerEvent) => setHeight(Math.max(120, Math.min(window.innerHeight - 80, startHeight + startY - e.clientY)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      setHeight((h) => {
        localStorage.setItem(HEIGHT_KEY, String(h));
        return h;
      });
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const connection = state.connection;
  const terminals = state.terminals.length > 0 ? state.terminals : [1];
  return (
    <section className="bookrun-panel" aria-label="Terminals" data-open={open} style={{ height: open ? height : undefined }}>
      {open && <div className="bookrun-panel__resize" role="separator" aria-orientation="horizontal" aria-label="Resize terminal panel" onPointerDown={onDrag} />}
      <div className="bookrun-panel__bar">
        <div role="tablist" aria-label="Terminals" className="bookrun-panel__tabs">
          {terminals.map((t) => (
            <button
              key={t}
              role="tab"
              type="button"
              aria-selected={open && state.active === t}
              aria-controls={`bookrun-terminal-${t}`}
              className="bookrun-panel__tab"
              onClick={() => {
                client.open(t);
                client.activate(t);
              }}
            >
              Terminal {t}
            </button>
          ))}
        </div>
        <span className="bookrun-panel__status" data-connection={connection.kind} role="status">
          <ConnectionNote client={client} connection={connection} />
        </span>
        <button type="button" className="bookrun-button" aria-label="Send Ctrl+C" title="Send Ctrl+C to the terminal" onClick={() => client.interrupt(state.active)} disabled={connection.kind !== 'ready'}>
          Ctrl+C
        </button>
        <button type="button" className="bookrun-button" aria-expanded={open} aria-label={open ? 'Hide terminal' : 'Show terminal'} onClick={() => client.showPanel(!open)}>
          {open ? 'Hide' : 'Show'}
          <span className="bookrun-panel__wide"> terminal</span>
        </button>
      </div>
      <p id="bookrun-terminal-keys" className="bookrun-panel__keys" hidden={!open}>
        In the terminal, Tab completes; press Escape, then Tab, to move on.
      </p>
      <div className="bookrun-panel__body" hidden={!open}>
        {connection.kind === 'ready' || terminals.length > 0
          ? terminals.map((t) => <TerminalView key={t} client={client} terminal={t} visible={open && state.active === t} />)
          : null}
      </div>
    </section>
  );
}
