// Twilio's numeric error codes in the words an agent reading a failed message understands.
// https://www.twilio.com/docs/api/errors
const REASONS: Record<number, string> = {
  20003: 'Twilio refused the Account SID / Auth Token',
  21211: "invalid 'To' number",
  21408: "the Twilio account may not send SMS to this number's country",
  21606: "the 'From' number cannot send SMS",
  21610: 'the recipient replied STOP (unsubscribed)',
  21612: 'Twilio cannot route a message between these two numbers',
  21614: "the 'To' number is not a mobile number",
  21617: 'the message is longer than 1,600 characters',
  30001: "Twilio's sending queue overflowed",
  30002: 'the Twilio account is suspended',
  30003: 'the handset is unreachable',
  30004: 'the message was blocked by the recipient',
  30005: 'unknown or inactive number',
  30006: 'a landline or unreachable carrier',
  30007: 'filtered as spam by the carrier',
  30008: 'the carrier reported an unknown error',
  30034: 'the sending number is not registered for US A2P 10DLC',
};

/** "the handset is unreachable (Twilio error 30003)"; an unknown code keeps Twilio's own text if any. */
export function describeTwilioError(code: number | string | null | undefined, providerMessage?: string | null): string {
  const numeric = typeof code === 'number' ? code : Number(code);
  if (code === null || code === undefined || code === '' || !Number.isFinite(numeric)) return providerMessage?.trim() || 'Twilio gave no reason';
  const known = REASONS[numeric];
  if (known) return `${known} (Twilio error ${numeric})`;
  return providerMessage?.trim() ? `Twilio error ${numeric}: ${providerMessage.trim()}` : `Twilio error ${numeric}`;
}
