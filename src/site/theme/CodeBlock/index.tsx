import React from 'react';
import CodeBlock from '@theme-init/CodeBlock';
import type CodeBlockType from '@theme/CodeBlock';
import type { WrapperProps } from '@docusaurus/types';
import ShellBlock from '../../components/shell-block.tsx';
import type { BlockProps } from '../../to-block-props.ts';

type Props = WrapperProps<typeof CodeBlockType> & { 'data-bookrun'?: string };

/** Shell blocks of book chapters (the remark plugin gave them `data-bookrun`) get Copy/Run; others are untouched. */
export default function CodeBlockWrapper(props: Props) {
  const data = props['data-bookrun'];
  if (data) return <ShellBlock props={JSON.parse(data) as BlockProps} />;
  return <CodeBlock {...props} />;
}
