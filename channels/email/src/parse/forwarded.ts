import { startsWithForward } from './quoted-text';

// "Fwd:", "Fw:", "FW:" (English), "WG:" (German), "TR:" (French), "RV:" (Spanish), "Enc:"
// (Portuguese), after optional bracketed tags such as "[EXTERNAL]"; "Fwd[2]:" counts too.
const FORWARD_PREFIX = /^\s*(?:\[[^\]]{0,40}\]\s*)*(?:fwd?|wg|tr|rv|enc)\s*(?:\[\d+\]|\(\d+\))?\s*:/i;

/**
 * A forward starts a new ticket even when its References point at an existing thread. Decided by
 * the FIRST prefix of the subject only: "Fwd: Re: …" is a forward, "Re: Fwd: …" is a reply to one
 * (someone answering the forwarded thread) and threads normally. Or by the body: a forwarded-message
 * marker before any quoted history, or an Outlook header block at the very top.
 */
export function isForwarded(subject: string | null, text: string): boolean {
  return (!!subject && FORWARD_PREFIX.test(subject)) || startsWithForward(text);
}
