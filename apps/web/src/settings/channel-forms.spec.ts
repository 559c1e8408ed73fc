import { initialValues, toConfig, valuesFrom } from './channel-forms';

describe('channel config forms', () => {
  it('nests dotted fields, keeps numbers and checkboxes, and leaves empty optional fields out', () => {
    const values = { ...initialValues('email'), fromAddress: 'help@shop.example', 'imap.host': 'imap.shop.example', 'imap.user': 'help', 'imap.password': 'pw', 'smtp.host': 'smtp.shop.example' };
    expect(toConfig('email', values)).toEqual({
      fromAddress: 'help@shop.example',
      imap: { host: 'imap.shop.example', port: 993, secure: true, user: 'help', password: 'pw' },
      smtp: { host: 'smtp.shop.example', port: 587, secure: false },
    });
  });

  it('fills an edit form from a stored config, secrets left empty (kept unless typed again)', () => {
    const values = valuesFrom('email', { fromAddress: 'a@b.example', imap: { host: 'imap.b', port: 143, secure: false, user: 'u' }, smtp: { host: 'smtp.b', port: 25, secure: false } });
    expect(values).toMatchObject({ fromAddress: 'a@b.example', 'imap.host': 'imap.b', 'imap.port': '143', 'imap.secure': false, 'imap.password': '', 'smtp.port': '25' });
    expect(toConfig('email', values)).toEqual({ fromAddress: 'a@b.example', imap: { host: 'imap.b', port: 143, secure: false, user: 'u' }, smtp: { host: 'smtp.b', port: 25, secure: false } });
    expect(valuesFrom('webchat', { allowedOrigins: ['https://a.example', 'https://b.example'], title: 'Shop', greeting: null })).toEqual({ title: 'Shop', greeting: '', allowedOrigins: 'https://a.example https://b.example', calendarId: '', awayMessage: '' });
  });

  it('splits a list of origins on commas, spaces and new lines', () => {
    expect(toConfig('webchat', { title: ' Shop ', greeting: '', allowedOrigins: 'https://a.example, https://b.example\nhttps://c.example' })).toEqual({
      title: 'Shop',
      allowedOrigins: ['https://a.example', 'https://b.example', 'https://c.example'],
    });
  });
});
