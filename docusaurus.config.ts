import type { Config } from '@docusaurus/types';
import { hello } from './src/core/hello.ts';
export default async function createConfig(): Promise<Config> {
  const { visit } = await import('unist-util-visit');
  return {
  title: hello('site'), url: 'http://localhost', baseUrl: '/',
  future: { v4: true, faster: true },
  presets: [['classic', { docs: { routeBasePath: '/', sidebarPath: undefined, remarkPlugins: [() => (tree: any) => { visit(tree, 'text', (n: any) => { n.value = n.value.replace('XX', 'YY'); }); }] }, blog: false, theme: {} }]],
  markdown: { format: 'md' },
  };
}
