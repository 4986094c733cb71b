import React from 'react';
import CodeBlock from '@theme-original/CodeBlock';
import { hello } from '../../core/hello.ts';
export default function Wrapped(props: any) { return <><div>{hello('x')}</div><CodeBlock {...props} /></>; }
