import { mergeSecrets, SecretBox, splitSecrets } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 1));

  it('round-trips and does not contain the plain text', () => {
    const sealed = box.seal({ token: 'super-secret' });
    expect(sealed).not.toContain('super-secret');
    expect(box.open(sealed)).toEqual({ token: 'super-secret' });
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.seal({ a: 1 });
    const parts = sealed.split('.');
    parts[3] = Buffer.from('{"a":2}').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow();
  });
});

describe('splitSecrets / mergeSecrets', () => {
  it('moves nested secret paths out and back', () => {
    const config = { imap: { host: 'h', password: 'p' }, smtp: { host: 's' }, fromAddress: 'a@b.c' };
    const { publicPart, secrets } = splitSecrets(config, ['imap.password', 'smtp.password']);
    expect(publicPart).toEqual({ imap: { host: 'h' }, smtp: { host: 's' }, fromAddress: 'a@b.c' });
    expect(secrets).toEqual({ 'imap.password': 'p' });
    expect(mergeSecrets(publicPart, secrets)).toEqual(config);
  });
});
