/**
 * The Message-IDs in a Message-ID / In-Reply-To / References value, without angle brackets, in
 * order, each once. Comments and phrases around them (some clients write `<id> (Sara's message of
 * …)`) are ignored. A value with no `<…>` at all is read as whitespace-separated ids: the tokens
 * with an `@`, or the one token there is.
 */
export function messageIdsIn(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>]*)>/g)].map((match) => match[1].trim());
  const tokens = value.split(/[\s,]+/).filter(Boolean);
  const ids = bracketed.length ? bracketed : tokens.length === 1 ? tokens : tokens.filter((token) => token.includes('@'));
  return [...new Set(ids.map((id) => id.replace(/\s+/g, '')).filter(Boolean))];
}

/** The first Message-ID in a value, or null. */
export function firstMessageId(value: string | null | undefined): string | null {
  return messageIdsIn(value)[0] ?? null;
}
