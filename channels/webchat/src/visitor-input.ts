/** The widget's own id for a message: a resend with it is the same message. */
export const CLIENT_MESSAGE_ID = /^[\w-]{1,100}$/;

/** A name the widget passed (a signed-in shopper's), trimmed; null when there is none. */
export function visitorName(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null;
}

/** An email the widget passed, when it looks like one; null otherwise. */
export function visitorEmail(value: unknown): string | null {
  return typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim()) ? value.trim().slice(0, 320) : null;
}
