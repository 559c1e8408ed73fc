/**
 * A mail that cannot become a message (no header block, no usable From address, unreadable MIME).
 * The message is the reason, in words an admin understands; the adapter quarantines the mail with it.
 */
export class EmailParseError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'EmailParseError';
  }
}
