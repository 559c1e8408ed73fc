import { parseTelegramConfig } from './telegram-config';

const TOKEN = '123456789:AAH-example_token_0123456789abcdefgh';

describe('parseTelegramConfig', () => {
  it('generates a webhook secret when none is given, and only in webhook mode', () => {
    const webhook = parseTelegramConfig({ botToken: TOKEN, mode: 'webhook' });
    expect(webhook.secretToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseTelegramConfig({ botToken: TOKEN, mode: 'webhook' }).secretToken).not.toBe(webhook.secretToken);
    expect(parseTelegramConfig({ botToken: TOKEN, mode: 'polling' })).toEqual({ botToken: TOKEN, mode: 'polling' });
  });

  it('keeps a given secret and trims the API root', () => {
    expect(parseTelegramConfig({ botToken: TOKEN, mode: 'webhook', secretToken: 'my_secret-1', apiRoot: 'http://127.0.0.1:8081/' })).toEqual({
      botToken: TOKEN,
      mode: 'webhook',
      secretToken: 'my_secret-1',
      apiRoot: 'http://127.0.0.1:8081',
    });
  });

  it.each([
    [{ mode: 'webhook' }, 'config.botToken'],
    [{ botToken: 'not a token', mode: 'webhook' }, 'config.botToken'],
    [{ botToken: TOKEN }, 'config.mode'],
    [{ botToken: TOKEN, mode: 'webhook', secretToken: 'a b' }, 'config.secretToken'],
    [{ botToken: TOKEN, mode: 'webhook', apiRoot: 'api.telegram.org' }, 'config.apiRoot'],
    [{ botToken: TOKEN, mode: 'webhook', surprise: 1 }, 'surprise'],
    ['a string', 'config must be an object'],
  ])('refuses %j naming %s', (raw, field) => {
    expect(() => parseTelegramConfig(raw)).toThrow(field);
  });
});
