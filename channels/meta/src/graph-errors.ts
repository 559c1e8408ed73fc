import { DeliveryError } from '@pasokh/channel-core';
import { GraphApiError } from './graph.client';

/** Graph error codes in words an agent can act on. */
const WORDS: Record<number, string> = {
  190: 'the access token is invalid or has expired; an admin must reconnect the channel with a new token',
  102: 'the access token is invalid or has expired; an admin must reconnect the channel with a new token',
  10: 'the app does not have permission to send this message',
  200: 'the app lacks a permission needed to send this message',
  551: "this person isn't available right now (they may have blocked the Page or deactivated their account)",
  4: "Meta's rate limit for the app was reached",
  17: "Meta's rate limit for this account was reached",
  32: "Meta's rate limit for the Page was reached",
  613: "Meta's rate limit was reached",
  80007: "Meta's rate limit for this account was reached",
  130429: "WhatsApp's sending rate limit for this number was reached",
  131016: 'WhatsApp is temporarily unavailable',
  131056: 'too many messages were sent to this customer in a short time',
  131047: 'more than 24 hours have passed since the customer last replied, so WhatsApp only accepts a template message',
  131026: 'the number is not on WhatsApp (or its app cannot receive this message)',
  131049: 'WhatsApp chose not to deliver this message to keep engagement healthy',
  131051: 'WhatsApp does not support this message type',
  131052: "WhatsApp could not download the customer's media",
  131053: 'WhatsApp could not process the attached file (unsupported type or too large)',
  131021: "the recipient is the business's own number",
  131031: 'the WhatsApp Business account is locked',
  131042: 'the WhatsApp Business account has a payment problem',
  131045: 'the business phone number is not registered',
  133010: 'the business phone number is not registered with the WhatsApp Cloud API',
  131005: 'access denied: the token lacks WhatsApp permissions',
  131000: 'WhatsApp failed to send the message for an unknown reason',
};

/** Errors that go away by themselves: rate limits and Meta's own temporary failures. */
const TRANSIENT = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131016, 131056]);

/** More precise words for Messenger/Instagram subcodes. */
const SUBCODE_WORDS: Record<number, string> = {
  2018278: 'the reply was sent more than 24 hours after the customer last wrote, which Messenger does not allow',
  2534022: 'the reply was sent more than 24 hours after the customer last wrote, which Instagram does not allow',
  2018001: 'no matching user was found: the customer cannot be reached from this Page',
  2018108: 'this person cannot receive messages from the Page',
  1545041: "this person isn't available right now",
};

/** A Graph error code in words, or null when we have none. */
export function describeGraphCode(code: number | null, subcode: number | null = null): string | null {
  if (subcode !== null && SUBCODE_WORDS[subcode]) return SUBCODE_WORDS[subcode];
  if (code === null) return null;
  if (WORDS[code]) return WORDS[code];
  if (code > 200 && code < 300) return WORDS[200];
  return null;
}

/** A failed send as the delivery worker needs it: the reason in words, and whether a retry can help. */
export function toDeliveryError(error: unknown, provider: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (!(error instanceof GraphApiError)) return new DeliveryError(`${provider} send failed: ${(error as Error).message}`);
  if (error.status === 0) return new DeliveryError(error.message);
  const transient = error.status >= 500 || error.status === 429 || (error.code !== null && TRANSIENT.has(error.code)) || error.transient === true;
  const words = describeGraphCode(error.code, error.subcode) ?? error.details ?? error.message;
  const ref = error.code !== null ? ` (Graph error ${error.code}${error.subcode !== null ? `/${error.subcode}` : ''})` : '';
  return new DeliveryError(`${provider} refused the message: ${words}${ref}`, !transient);
}

/** Token errors, as opposed to Graph being down or a bad id. */
export function isRejectedToken(error: GraphApiError): boolean {
  return error.code === 190 || error.code === 102 || error.status === 401;
}
