import React, { useEffect, useState, type ReactNode } from 'react';
import '@xterm/xterm/css/xterm.css';
import { startTerminalClient, type TerminalClient } from '../client/terminal-client.ts';
import { useSiteSettings } from '../client/use-variant.ts';
import TerminalPanel from '../components/terminal-panel.tsx';

/** Wraps the whole site: mounts the terminal panel once, in the browser, when the page holds a token. */
export default function Root({ children }: { children: ReactNode }) {
  const settings = useSiteSettings();
  const [client, setClient] = useState<TerminalClient | null>(null);
  useEffect(() => {
    setClient(startTerminalClient(settings.terminalUrl));
  }, [settings.terminalUrl]);
  return (
    <>
      {children}
      {client && <TerminalPanel client={client} />}
    </>
  );
}
