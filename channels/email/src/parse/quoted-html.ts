import type { AnyNode, ChildNode, Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { findQuoteMarkers, startsWithFromField } from './quoted-text';

/** The text of the `<summary>` that stands for the collapsed history (the web app may restyle it). */
export const QUOTED_SUMMARY = '…';

/** Bigger HTML is passed through untouched (the sanitizer still runs on it): no DOM of a huge mail. */
const MAX_HTML_CHARS = 4 * 1024 * 1024;
/** Deeper HTML is passed through untouched: serializing it would recurse that deep. */
const MAX_DEPTH = 400;

const SKIPPED = new Set(['head', 'style', 'script', 'title', 'template', 'noscript', 'xml']);
const TRANSPARENT = new Set(['html', 'body']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav',
  'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);
const CONTENT = /[^\s\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const RENDER = { encodeEntities: 'utf8', decodeEntities: true } as const;

type MarkerKind = 'attribution' | 'header';

interface Candidate {
  index: number;
  kind: MarkerKind;
}

/**
 * The body of an HTML mail with its quoted history wrapped in
 * `<details data-quoted><summary>…</summary>…</details>`, so it shows collapsed. Only the body's
 * content is returned (no `<html>`, `<head>`, `<body>`). NOT sanitized: ingest runs
 * sanitizeMessageHtml on it, which keeps that `<details data-quoted>`.
 *
 * Recognised: Gmail `div.gmail_quote`, Apple Mail / Thunderbird `blockquote[type=cite]` and
 * `.moz-cite-prefix`, Yahoo `.yahoo_quoted`, Outlook `#divRplyFwdMsg`, `#appendonsend`, the
 * border-top separator div that starts with "From:", new Outlook for Mac's reference container, and
 * every text marker of quoted-text.ts at the start of a line ("On … wrote:", "در تاریخ … نوشت:",
 * "-----Original Message-----", "From: … Sent: … Subject:"). The history runs from the earliest
 * marker to the end. Nothing is collapsed when nothing would be left above it, nor when answers
 * are written between quotes (interleaved replies).
 */
export function collapseQuotedHtml(html: string, options: { collapse?: boolean } = {}): { html: string; collapsed: boolean } {
  if (html.length > MAX_HTML_CHARS) return { html: html.trim(), collapsed: false };
  const doc = parseDocument(html, { decodeEntities: true });
  const flat = flatten(doc.children);
  if (flat.maxDepth > MAX_DEPTH) return { html: html.trim(), collapsed: false };
  if (options.collapse !== false) {
    const { candidates, attributions } = findCandidates(flat);
    const answers = answersFrom(flat, attributions);
    for (const candidate of candidates) {
      const cut = liftedCut(flat, candidate.index);
      if (!worthCollapsing(flat, cut, candidate.kind, answers)) continue;
      const { head, tail } = splitAt(doc.children, flat.nodes[cut] as ChildNode);
      return { html: `${head.trim()}<details data-quoted><summary>${QUOTED_SUMMARY}</summary>${tail.trim()}</details>`, collapsed: true };
    }
  }
  return { html: render(doc.children).trim(), collapsed: false };
}

/** The readable text of an HTML body, one line per block (for mail whose HTML could not be converted by mailparser). */
export function textOfHtml(html: string): string {
  if (html.length > MAX_HTML_CHARS) return '';
  return flatten(parseDocument(html, { decodeEntities: true }).children)
    .linear.split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The document in preorder, with its text laid out in lines the way it reads. */
interface Flat {
  nodes: AnyNode[];
  /** nodes[end[i] - 1] is the last node inside nodes[i]. */
  end: number[];
  index: Map<AnyNode, number>;
  /** Visible text or an image: the things a reader would call content. */
  content: boolean[];
  /** Inside a quote container (or a signature): text there does not count as an answer. */
  quoted: boolean[];
  skipped: boolean[];
  /** Where each text node's characters are in `linear`. */
  ranges: Map<number, [number, number]>;
  linear: string;
  /** nextContent[i] = the first content node at or after i (nodes.length when none). */
  nextContent: number[];
  maxDepth: number;
}

function flatten(roots: ChildNode[]): Flat {
  const nodes: AnyNode[] = [];
  const end: number[] = [];
  const index = new Map<AnyNode, number>();
  const content: boolean[] = [];
  const quoted: boolean[] = [];
  const skipped: boolean[] = [];
  const depth: number[] = [];
  const ranges = new Map<number, [number, number]>();
  // The text is collected in pieces (appending to one string and asking it endsWith() is quadratic).
  const pieces: string[] = [];
  let length = 0;
  let atLineStart = true;
  const append = (text: string) => {
    if (!text) return;
    pieces.push(text);
    length += text.length;
    atLineStart = text.endsWith('\n');
  };
  const newline = () => {
    if (!atLineStart) append('\n');
  };
  let maxDepth = 0;

  const stack: Array<[AnyNode, boolean]> = roots.map((node) => [node, false] as [AnyNode, boolean]).reverse();
  while (stack.length) {
    const [node, leaving] = stack.pop()!;
    if (leaving) {
      end[index.get(node)!] = nodes.length;
      if (DomUtils.isTag(node) && BLOCKS.has(node.name) && !skipped[index.get(node)!]) newline();
      continue;
    }
    const i = nodes.length;
    const parent = node.parent ? index.get(node.parent) : undefined;
    nodes.push(node);
    index.set(node, i);
    depth[i] = parent === undefined ? 1 : depth[parent] + 1;
    maxDepth = Math.max(maxDepth, depth[i]);
    skipped[i] = (parent !== undefined && skipped[parent]) || (DomUtils.isTag(node) && SKIPPED.has(node.name));
    quoted[i] = (parent !== undefined && quoted[parent]) || (DomUtils.isTag(node) && isQuoteContainer(node));
    content[i] = false;
    if (DomUtils.isText(node) && !skipped[i]) {
      let text = node.data.replace(/[ \t\r\n\f]+/g, ' ');
      if (atLineStart) text = text.replace(/^ /, '');
      ranges.set(i, [length, length + text.length]);
      append(text);
      content[i] = CONTENT.test(text);
    } else if (DomUtils.isTag(node) && !skipped[i]) {
      if (node.name === 'img') content[i] = true;
      if (node.name === 'br') append('\n');
      if (BLOCKS.has(node.name)) newline();
    }
    stack.push([node, true]);
    if (DomUtils.hasChildren(node)) for (let c = node.children.length - 1; c >= 0; c--) stack.push([node.children[c], false]);
  }
  const nextContent = new Array<number>(nodes.length + 1);
  nextContent[nodes.length] = nodes.length;
  for (let i = nodes.length - 1; i >= 0; i--) nextContent[i] = content[i] ? i : nextContent[i + 1];
  return { nodes, end, index, content, quoted, skipped, ranges, linear: pieces.join(''), nextContent, maxDepth };
}

function classesOf(element: Element): string[] {
  return (element.attribs.class ?? '').toLowerCase().split(/\s+/);
}

function isQuoteContainer(element: Element): boolean {
  if (element.name === 'blockquote') return true;
  const classes = classesOf(element);
  return ['gmail_quote', 'gmail_quote_container', 'moz-cite-prefix', 'yahoo_quoted', 'gmail_signature', 'moz-signature'].some((name) => classes.includes(name));
}

/** Every marker, earliest in the document first, and where the attribution lines are in the text. */
function findCandidates(flat: Flat): { candidates: Candidate[]; attributions: Array<[number, number]> } {
  const candidates: Candidate[] = [];
  flat.nodes.forEach((node, i) => {
    if (!DomUtils.isTag(node) || flat.skipped[i]) return;
    const kind = elementMarker(flat, node, i);
    if (kind) candidates.push({ index: i, kind });
  });

  const lines = flat.linear.split('\n');
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  // Content text nodes in document order, so their ranges in `linear` ascend.
  const texts = [...flat.ranges.entries()].filter(([i]) => flat.content[i]);
  const attributions: Array<[number, number]> = [];
  for (const marker of findQuoteMarkers(lines, { quotedLines: false })) {
    const line = lines[marker.start];
    const at = lineStarts[marker.start] + (line.length - line.trimStart().length);
    const text = texts[firstEndingAfter(texts, at)];
    if (text) candidates.push({ index: text[0], kind: marker.kind === 'attribution' ? 'attribution' : 'header' });
    if (marker.kind === 'attribution') attributions.push([lineStarts[marker.start], lineStarts[marker.end] ?? flat.linear.length]);
  }
  return { candidates: candidates.sort((a, b) => a.index - b.index), attributions };
}

function elementMarker(flat: Flat, element: Element, i: number): MarkerKind | null {
  const classes = classesOf(element);
  const id = element.attribs.id ?? '';
  if (classes.includes('gmail_quote') || classes.includes('gmail_quote_container')) return 'attribution';
  if (element.name === 'blockquote' && (element.attribs.type ?? '').toLowerCase() === 'cite') return 'attribution';
  if (classes.includes('moz-cite-prefix') || classes.includes('yahoo_quoted')) return 'attribution';
  if (/(?:^|_)(?:divRplyFwdMsg|appendonsend)$/i.test(id) || /^mail-editor-reference-message-container$/i.test(id)) return 'header';
  if (/border-top\s*:\s*solid/i.test(element.attribs.style ?? '')) {
    const first = firstContent(flat, i);
    const range = first === -1 ? undefined : flat.ranges.get(first);
    if (range && startsWithFromField(flat.linear.slice(range[0], range[0] + 200))) return 'header';
  }
  return null;
}

/** The first content node inside nodes[i], or -1. */
function firstContent(flat: Flat, i: number): number {
  const next = flat.nextContent[i];
  return next < flat.end[i] ? next : -1;
}

/**
 * The outermost element that starts with the marker's content (a marker deep in `<div><p><b>From:`
 * cuts at the `<div>`), so the history is moved out whole and no empty shells are left above it.
 */
function liftedCut(flat: Flat, marker: number): number {
  const first = firstContent(flat, marker);
  if (first === -1) return marker;
  let cut = marker;
  for (let parent = flat.nodes[cut].parent; parent && DomUtils.isTag(parent) && !TRANSPARENT.has(parent.name); parent = parent.parent) {
    const p = flat.index.get(parent)!;
    if (firstContent(flat, p) !== first) break;
    cut = p;
  }
  return cut;
}

/** The index of the first text whose range ends after `at` (texts.length when none). */
function firstEndingAfter(texts: ReadonlyArray<[number, [number, number]]>, at: number): number {
  let low = 0;
  let high = texts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (texts[middle][1][1] <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * answers[i]: from nodes[i] on, is there content outside every quote container and attribution
 * line? Such content after a quote is an answer written below it (an interleaved reply).
 */
function answersFrom(flat: Flat, attributions: ReadonlyArray<[number, number]>): boolean[] {
  const answers = new Array<boolean>(flat.nodes.length + 1).fill(false);
  let attribution = attributions.length - 1;
  for (let i = flat.nodes.length - 1; i >= 0; i--) {
    answers[i] = answers[i + 1];
    if (!flat.content[i] || flat.quoted[i]) continue;
    const range = flat.ranges.get(i);
    if (range) {
      while (attribution >= 0 && attributions[attribution][0] > range[0]) attribution--;
      if (attribution >= 0 && range[1] <= attributions[attribution][1]) continue;
    }
    answers[i] = true;
  }
  return answers;
}

function worthCollapsing(flat: Flat, cut: number, kind: MarkerKind, answers: readonly boolean[]): boolean {
  if (flat.nextContent[0] >= cut) return false; // nothing above the history: the whole mail is a quote
  if (flat.nextContent[cut] >= flat.nodes.length) return false; // nothing in it
  return kind === 'header' || !answers[cut]; // a quote with an answer below it is an interleaved reply
}

/** The document before `cut`, and from `cut` to the end with the elements it sat in re-opened around it. */
function splitAt(roots: ChildNode[], cut: ChildNode): { head: string; tail: string } {
  const container = cut.parent;
  let tail = render(detachFrom(cut));
  for (let parent = container; parent && DomUtils.isTag(parent); parent = parent.parent) {
    if (!TRANSPARENT.has(parent.name)) tail = `${openTag(parent)}${tail}</${parent.name}>`;
    if (parent.next) tail += render(detachFrom(parent.next));
  }
  return { head: render(roots), tail };
}

/** Takes `node` and every sibling after it out of their parent, in one cut (not one splice each). */
function detachFrom(node: ChildNode): ChildNode[] {
  const parent = node.parent;
  if (!parent) return [node];
  const at = parent.children.indexOf(node);
  const detached = parent.children.splice(at);
  if (node.prev) node.prev.next = null;
  for (const child of detached) {
    child.parent = null;
    child.prev = null;
    child.next = null;
  }
  return detached;
}

function openTag(element: Element): string {
  const attributes = Object.entries(element.attribs).map(([name, value]) => ` ${name}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
  return `<${element.name}${attributes.join('')}>`;
}

/** Serialized nodes, with `<html>`/`<body>` unwrapped and `<head>` and the doctype left out. */
function render(nodes: ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (DomUtils.isTag(node) && TRANSPARENT.has(node.name)) out += render(node.children);
    else if (DomUtils.isTag(node) && node.name === 'head') continue;
    else if (node.type === 'directive') continue;
    else out += DomUtils.getOuterHTML(node as AnyNode, RENDER);
  }
  return out;
}
