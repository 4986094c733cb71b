import React from 'react';
import Content from '@theme-init/DocItem/Content';
import type ContentType from '@theme/DocItem/Content';
import type { WrapperProps } from '@docusaurus/types';
import ChapterBar from '../../../components/chapter-bar.tsx';

type Props = WrapperProps<typeof ContentType>;

/** Every chapter starts with the variant picker and the "run it locally" line. */
export default function ContentWrapper(props: Props) {
  return (
    <>
      <ChapterBar />
      <Content {...props} />
    </>
  );
}
