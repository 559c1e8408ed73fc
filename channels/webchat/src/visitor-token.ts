import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * A visitor is who the widget says it is only with a token we signed: `<visitorId>.<mac>`, the MAC
 * over the channel and the visitor id. Stateless, so any instance checks it; kept by the widget in
 * the site's localStorage, so a returning visitor continues their conversation.
 */
export class VisitorTokens {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    // A key of its own: a visitor token never verifies as anything else signed with the secret key.
    this.key = createHmac('sha256', secretKey).update('pasokh webchat visitor token').digest();
  }

  issue(channelId: string): { visitorId: string; token: string } {
    const visitorId = randomUUID();
    return { visitorId, token: `${visitorId}.${this.mac(channelId, visitorId)}` };
  }

  /** The visitor id, or null for a token this channel did not issue. */
  verify(channelId: string, token: string): string | null {
    const [visitorId, mac, ...rest] = token.split('.');
    if (rest.length || !visitorId || !mac || visitorId.length > 64) return null;
    const expected = Buffer.from(this.mac(channelId, visitorId));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? visitorId : null;
  }

  private mac(channelId: string, visitorId: string): string {
    return createHmac('sha256', this.key).update(`${channelId}:${visitorId}`).digest('base64url');
  }
}
