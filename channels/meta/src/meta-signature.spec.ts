import { createHmac } from 'node:crypto';
import { secretsEqual, signMetaBody, verifyMetaSignature } from './meta-signature';

describe('X-Hub-Signature-256', () => {
  // What Meta sends for {"text":"سلام/1"}: non-ASCII as \uXXXX, "/" as "\/".
  const raw = Buffer.from('{"text":"\\u0633\\u0644\\u0627\\u0645\\/1"}');

  it('is the hex HMAC-SHA256 of the raw bytes with the app secret', () => {
    expect(signMetaBody('app-secret', raw)).toBe(`sha256=${createHmac('sha256', 'app-secret').update(raw).digest('hex')}`);
  });

  it('verifies the raw bytes and not re-serialised JSON', () => {
    const header = signMetaBody('app-secret', raw);
    expect(verifyMetaSignature('app-secret', raw, header)).toBe(true);
    expect(verifyMetaSignature('app-secret', Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), header)).toBe(false);
    expect(verifyMetaSignature('other-secret', raw, header)).toBe(false);
    expect(verifyMetaSignature('app-secret', raw, undefined)).toBe(false);
    expect(verifyMetaSignature('app-secret', raw, 'sha256=00')).toBe(false);
  });

  it('compares verify tokens of any length', () => {
    expect(secretsEqual('token-1', 'token-1')).toBe(true);
    expect(secretsEqual('token-1', 'token-2')).toBe(false);
    expect(secretsEqual('token', 'token-1')).toBe(false);
  });
});
