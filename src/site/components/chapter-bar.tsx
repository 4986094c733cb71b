import React, { useSyncExternalStore } from 'react';
import { currentClient, subscribeClient } from '../client/terminal-client.ts';
import VariantPicker from './variant-picker.tsx';

const none = () => null;

/**
 * The bar above every chapter: the variant picker, and how to run the book (one line on the public site;
 * nothing once a terminal server is connected, the Run buttons say it).
 */
export default function ChapterBar() {
  const client = useSyncExternalStore(subscribeClient, currentClient, none);
  return (
    <div className="bookrun-bar">
      <VariantPicker />
      <p className="bookrun-bar__hint">
        {client ? (
          'Run buttons send each step to your local terminal below.'
        ) : (
          <>
            To run these commands from the page against your own cluster, run the book locally: <code>npx bookrun serve</code>
          </>
        )}
      </p>
    </div>
  );
}
