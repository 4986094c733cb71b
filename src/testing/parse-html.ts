import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** An element of a parsed document, with what tests look at. */
export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  /** Its text, entities decoded (as a browser's `textContent`). */
  text: string;
  element: Element;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  const children = 'childNodes' in node ? node.childNodes : [];
  // <template> holds its children in `content`.
  const content = (node as DefaultTreeAdapterMap['template']).content;
  return [...children, ...(content ? content.childNodes : [])].map(textOf).join('');
}

/**
 * Parses HTML with parse5 (the WHATWG parser browsers implement) and returns every element in document order;
 * `errors` are the parse errors it reported (a fragment that is not well-formed HTML has some).
 */
export function parseHtml(html: string, options: { fragment?: boolean } = {}): { elements: HtmlElement[]; errors: string[]; text: string } {
  const errors: string[] = [];
  const onParseError = (error: { code: string; startLine: number; startCol: number }) => errors.push(`${error.code} at ${error.startLine}:${error.startCol}`);
  const root = options.fragment ? parseFragment(html, { onParseError }) : parse(html, { onParseError });
  const elements: HtmlElement[] = [];
  const walk = (node: Node) => {
    if (isElement(node)) elements.push({ tag: node.tagName, attrs: Object.fromEntries(node.attrs.map((a) => [a.name, a.value])), text: textOf(node), element: node });
    const children = 'childNodes' in node ? node.childNodes : [];
    for (const child of children) walk(child);
  };
  walk(root as Node);
  return { elements, errors, text: textOf(root as Node) };
}
