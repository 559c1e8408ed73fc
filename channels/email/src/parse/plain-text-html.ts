import { QUOTED_SUMMARY } from './quoted-html';

/**
 * A plain-text body as HTML: escaped, line breaks kept, web links clickable, the direction left to
 * the browser (`dir="auto"`: Persian mail reads right to left), and the quoted history in a
 * collapsed `<details data-quoted>`. Not sanitized here; it is safe by construction and ingest
 * sanitizes it anyway.
 */
export function plainTextToHtml(fresh: string, quoted: string | null = null): string {
  const history = quoted ? `<details data-quoted><summary>${QUOTED_SUMMARY}</summary>${linesToHtml(quoted)}</details>` : '';
  return `<div dir="auto">${linesToHtml(fresh)}${history}</div>`;
}

const URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;

function linesToHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL)) {
    const url = match[0].replace(/[.,;:!?)\]}»]+$/, '');
    out += escapeHtml(text.slice(last, match.index)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index! + url.length;
  }
  // Indentation survives (bounce notices, pasted tables): leading spaces become no-break spaces.
  return (out + escapeHtml(text.slice(last)))
    .split(/\r?\n/)
    .map((line) => line.replace(/^ +/, (spaces) => '&nbsp;'.repeat(spaces.length)))
    .join('<br>');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
