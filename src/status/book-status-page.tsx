import React from 'react';
import Head from '@docusaurus/Head';
import Layout from '@theme/Layout';
import type { BookStatus } from '../core/status-model.ts';
import { BookStatusView } from './book-status-view.tsx';

/** The dev-only "Book status" route (added by the book-status Docusaurus plugin). */
export default function BookStatusPage({ status }: { status: BookStatus }) {
  return (
    <Layout>
      <Head>
        <title>Book status</title>
      </Head>
      <BookStatusView status={status} />
    </Layout>
  );
}
