/**
 * Splits a reply into parts of at most `maxBytes` UTF-8 bytes, preferring line and word breaks, never
 * inside a character: Persian takes two bytes a letter, emoji four.
 */
export function splitText(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (Buffer.byteLength(rest) > maxBytes) {
    let end = 0;
    let bytes = 0;
    for (const char of rest) {
      const size = Buffer.byteLength(char);
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += char.length;
    }
    const head = rest.slice(0, end);
    const cut = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const at = cut > end / 2 ? cut : end;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
