import twilio from 'twilio';
import { describeTwilioError } from './twilio-errors';
import { formParams, inboundText, mediaFilename, readInbound, readStatusCallback } from './twilio-payload';
import { TwilioSmsAdapter } from './twilio-sms.adapter';
import { parseTwilioSmsConfig } from './twilio-sms.config';

const SID = 'SM1f0e8ae6ade43cb3c0ce4525424e404f';
const TOKEN = '12345678901234567890123456789012';
const form = (params: Record<string, string>) => Buffer.from(new URLSearchParams(params).toString());

describe('Twilio webhook payloads', () => {
  it('reads the form from the raw bytes, keeping repeated names and UTF-8 text', () => {
    expect(formParams(Buffer.from('Body=%D8%B3%D9%84%D8%A7%D9%85+dear&A=1&A=2&Empty='))).toEqual({ Body: 'سلام dear', A: ['1', '2'], Empty: '' });
  });

  it('reads an MMS with its media, and rejects a media count without URLs', () => {
    const inbound = readInbound(formParams(form({ MessageSid: SID, From: '+989121234567', Body: 'hi', NumMedia: '1', MediaUrl0: 'https://api.twilio.com/x/Media/ME1', MediaContentType0: 'image/jpeg' })));
    expect(inbound).toEqual({ messageSid: SID, from: '+989121234567', body: 'hi', media: [{ url: 'https://api.twilio.com/x/Media/ME1', contentType: 'image/jpeg' }], location: null });
    expect(() => readInbound(formParams(form({ MessageSid: SID, From: '+1', NumMedia: '1' })))).toThrow('MediaUrl0 is missing');
    expect(() => readInbound(formParams(form({ From: '+1' })))).toThrow('MessageSid is missing');
    expect(() => readInbound(formParams(form({ MessageSid: SID, From: '+1', NumMedia: 'lots' })))).toThrow('NumMedia must be');
  });

  it('writes a shared location as text', () => {
    const inbound = readInbound(formParams(form({ MessageSid: SID, From: 'whatsapp:+989121234567', Latitude: '35.7', Longitude: '51.4' })));
    expect(inboundText(inbound)).toBe('📍 Location: 35.7, 51.4 https://maps.google.com/?q=35.7,51.4');
  });

  it.each([
    ['queued', null],
    ['accepted', null],
    ['sending', null],
    ['sent', { providerMessageId: SID, status: 'sent' }],
    ['delivered', { providerMessageId: SID, status: 'delivered' }],
    ['read', { providerMessageId: SID, status: 'read' }],
    ['undelivered', { providerMessageId: SID, status: 'failed', error: 'the handset is unreachable (Twilio error 30003)' }],
    ['failed', { providerMessageId: SID, status: 'failed', error: 'the handset is unreachable (Twilio error 30003)' }],
  ])('maps MessageStatus %s', (status, event) => {
    expect(readStatusCallback({ MessageSid: SID, MessageStatus: status, ...(status === 'undelivered' || status === 'failed' ? { ErrorCode: '30003' } : {}) })).toEqual(event);
  });

  it('translates Twilio error codes, and keeps an unknown one', () => {
    expect(describeTwilioError('21610')).toBe('the recipient replied STOP (unsubscribed) (Twilio error 21610)');
    expect(describeTwilioError(30007)).toBe('filtered as spam by the carrier (Twilio error 30007)');
    expect(describeTwilioError(63016)).toBe('Twilio error 63016');
    expect(describeTwilioError(63016, 'Outside the allowed window')).toBe('Twilio error 63016: Outside the allowed window');
  });

  it('names media files after the media SID', () => {
    expect(mediaFilename('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME123', 'image/jpeg', 0)).toBe('ME123.jpg');
    expect(mediaFilename('https://example.com/', 'application/x-unknown', 2)).toBe('media-3');
  });
});

describe('Twilio config', () => {
  const base = { accountSid: `AC${'a'.repeat(32)}`, authToken: TOKEN };
  it('needs a sender and names a bad field', () => {
    expect(() => parseTwilioSmsConfig(base)).toThrow('config.phoneNumber or config.messagingServiceSid');
    expect(() => parseTwilioSmsConfig({ ...base, phoneNumber: '+15005550006', extra: 1 })).toThrow('unknown config field extra');
    expect(parseTwilioSmsConfig({ ...base, messagingServiceSid: `MG${'b'.repeat(32)}`, apiBaseUrl: 'http://127.0.0.1:9/' })).toEqual({
      ...base,
      messagingServiceSid: `MG${'b'.repeat(32)}`,
      apiBaseUrl: 'http://127.0.0.1:9',
    });
  });
});

describe('X-Twilio-Signature', () => {
  const adapter = new TwilioSmsAdapter({ register: () => undefined } as never, {} as never);
  const channel = { id: 'c', type: 'twilio_sms' as const, name: 'sms', config: { accountSid: `AC${'a'.repeat(32)}`, authToken: TOKEN, phoneNumber: '+15005550006' } };
  const url = 'https://pasokh.example.com/webhooks/twilio/c';
  const params = { MessageSid: SID, From: '+989121234567', Body: 'سلام', MessagingServiceSid: `MG${'b'.repeat(32)}` };
  const request = (signature: string | undefined, body = form(params), at = url) => ({ url: at, headers: { 'x-twilio-signature': signature }, rawBody: body, body: {} });

  it('accepts exactly what Twilio signed: the URL called and every POST parameter', () => {
    expect(adapter.verifyRequest(channel, request(twilio.getExpectedTwilioSignature(TOKEN, url, params)))).toBe(true);
    expect(adapter.verifyRequest(channel, request(twilio.getExpectedTwilioSignature('x'.repeat(32), url, params)))).toBe(false);
    expect(adapter.verifyRequest(channel, request(twilio.getExpectedTwilioSignature(TOKEN, `${url}?a=1`, params)))).toBe(false);
    const { MessagingServiceSid: _dropped, ...fewer } = params;
    expect(adapter.verifyRequest(channel, request(twilio.getExpectedTwilioSignature(TOKEN, url, fewer)))).toBe(false);
    expect(adapter.verifyRequest(channel, request(undefined))).toBe(false);
  });

  it('checks a JSON-bodied webhook by the body hash in the signed URL', () => {
    const body = Buffer.from('{"event":"x"}');
    const signedUrl = `${url}?bodySHA256=${twilio.getExpectedBodyHash(body.toString())}`;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, signedUrl, {});
    expect(adapter.verifyRequest(channel, request(signature, body, signedUrl))).toBe(true);
    expect(adapter.verifyRequest(channel, request(signature, Buffer.from('{"event":"y"}'), signedUrl))).toBe(false);
  });
});
