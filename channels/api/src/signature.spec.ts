import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './signature';

describe('X-Pasokh-Signature', () => {
  const body = Buffer.from('{"text":"سلام"}');

  it('is the hex HMAC-SHA256 of the raw bytes', () => {
    expect(signBody('k'.repeat(16), body)).toBe(`sha256=${createHmac('sha256', 'k'.repeat(16)).update(body).digest('hex')}`);
  });

  it('verifies only the same bytes with the same secret', () => {
    const header = signBody('secret-secret-16', body);
    expect(verifySignature('secret-secret-16', body, header)).toBe(true);
    expect(verifySignature('secret-secret-17', body, header)).toBe(false);
    expect(verifySignature('secret-secret-16', Buffer.from('{"text":"salam"}'), header)).toBe(false);
    expect(verifySignature('secret-secret-16', body, undefined)).toBe(false);
  });
});
