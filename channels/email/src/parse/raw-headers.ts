/** The header block is read up to this many bytes: enough for any real one, bounded for a hostile one. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * Header fields exactly as the message wrote them (unfolded, not decoded), names lower-cased. Used
 * for the fields mailparser reshapes (Message-ID, References, Date) and for the machine-readable
 * parts of delivery reports, which are header-shaped too.
 */
export class RawHeaders {
  private constructor(private readonly fields: ReadonlyArray<{ name: string; value: string }>) {}

  /** From mailparser's `headerLines` (`{ key, line }`, folding included). */
  static fromLines(lines: ReadonlyArray<{ key: string; line: string }>): RawHeaders {
    return new RawHeaders(lines.map(({ key, line }) => ({ name: key.toLowerCase(), value: valueOf(unfold(line)) })));
  }

  /** From a block of `Name: value` lines (a header section, or one group of a delivery-status part). */
  static parse(block: string): RawHeaders {
    const fields: Array<{ name: string; value: string }> = [];
    for (const line of unfold(block).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(line.slice(0, colon).trim())) continue;
      fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
    }
    return new RawHeaders(fields);
  }

  get(name: string): string | null {
    const lower = name.toLowerCase();
    return this.fields.find((field) => field.name === lower)?.value ?? null;
  }

  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.fields.filter((field) => field.name === lower).map((field) => field.value);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  get size(): number {
    return this.fields.length;
  }
}

/** The header section of a raw message (up to the first empty line), without reading the body. */
export function headerSectionOf(raw: Buffer): string {
  const head = raw.subarray(0, MAX_HEADER_BYTES);
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  const ends = [crlf, lf].filter((at) => at >= 0);
  return head.subarray(0, ends.length ? Math.min(...ends) : head.length).toString('utf8');
}

/**
 * The groups of fields of a message/delivery-status part (RFC 3464): the per-message fields, then
 * one group per recipient, separated by empty lines.
 */
export function fieldGroupsOf(text: string): RawHeaders[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => RawHeaders.parse(block))
    .filter((group) => group.size > 0);
}

function unfold(text: string): string {
  return text.replace(/\r?\n(?=[ \t])/g, '');
}

function valueOf(line: string): string {
  const colon = line.indexOf(':');
  return (colon === -1 ? '' : line.slice(colon + 1)).trim();
}
