import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTelegramUpdate, ParsedTelegramMessage } from './telegram-update.parser';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/telegram', `${name}.json`), 'utf8'));

function message(name: string): ParsedTelegramMessage {
  const parsed = parseTelegramUpdate(fixture(name));
  if (parsed.kind !== 'message') throw new Error(`${name} was ignored: ${parsed.reason}`);
  return parsed.message;
}

describe('parseTelegramUpdate', () => {
  it('reads a private text message: chat:message id, sender id and full name', () => {
    expect(message('text-message')).toEqual({
      externalMessageId: '5123456789:1201',
      from: { externalId: '5123456789', name: 'Sara Ahmadi' },
      text: 'سلام، سفارش ۱۲۳۴ من کجاست؟',
      sentAt: new Date(1767605394 * 1000),
      edited: false,
      media: [],
      sharedContact: null,
    });
  });

  it('marks an edit with the original message id', () => {
    const edited = message('edited-message');
    expect(edited).toMatchObject({ externalMessageId: '5123456789:1201', edited: true, text: 'سلام، سفارش ۱۲۳۵ من کجاست؟' });
  });

  it('keeps the username when there is no name', () => {
    const update = fixture('text-message');
    update.message.from = { id: 42, is_bot: false, first_name: ' ', username: 'nameless' };
    const parsed = parseTelegramUpdate(update);
    expect(parsed.kind === 'message' && parsed.message.from.name).toBe('@nameless');
  });

  it('takes only the largest photo size, and the caption as text', () => {
    const photo = message('photo-message');
    expect(photo.text).toBe('the box arrived broken');
    expect(photo.media).toEqual([{ fileId: 'AgACAgQAAxkBAAIBS2ZfLarge', fileSize: 61407, filename: 'photo_1202.jpg', contentType: 'image/jpeg' }]);
  });

  it('names documents and voice notes', () => {
    expect(message('document-message').media).toEqual([{ fileId: 'BQACAgQAAxkBAAIBTGZfDoc', fileSize: 48213, filename: 'invoice-1234.pdf', contentType: 'application/pdf' }]);
    expect(message('voice-message')).toMatchObject({ text: '', media: [{ filename: 'voice_1204.ogg', contentType: 'audio/ogg' }] });
  });

  it('takes an animation once, not again as its document twin', () => {
    expect(message('animation-message').media).toEqual([{ fileId: 'CgACAgQAAxkBAAIBUGZfAnim', fileSize: 91234, filename: 'facepalm.mp4', contentType: 'video/mp4' }]);
  });

  it('turns stickers, locations, venues and contacts into readable text', () => {
    expect(message('sticker-message')).toMatchObject({ text: '[sticker 😀]', media: [] });
    expect(message('location-message').text).toBe('📍 Location: 35.7, 51.4 https://www.openstreetmap.org/?mlat=35.7&mlon=51.4#map=17/35.7/51.4');
    expect(message('venue-message').text).toBe(
      '📍 Azadi Tower, Azadi Square, Tehran: 35.6997, 51.338 https://www.openstreetmap.org/?mlat=35.6997&mlon=51.338#map=17/35.6997/51.338',
    );
    expect(message('contact-message')).toMatchObject({ text: '📇 Contact: Sara Ahmadi +989121234567', sharedContact: { phone: '+989121234567', name: 'Sara Ahmadi' } });
  });

  it('ignores group chats and updates without a message', () => {
    expect(parseTelegramUpdate(fixture('group-message'))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('supergroup') });
    expect(parseTelegramUpdate(fixture('callback-query'))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('callback_query') });
  });

  it('refuses what is not an update, naming the field', () => {
    expect(() => parseTelegramUpdate('hello')).toThrow('Update object');
    expect(() => parseTelegramUpdate({ message: {} })).toThrow('update_id');
    const noSender = fixture('text-message');
    delete noSender.message.from;
    expect(() => parseTelegramUpdate(noSender)).toThrow('message.from');
    const badPhoto = fixture('photo-message');
    badPhoto.message.photo = [{ width: 1, height: 1 }];
    expect(() => parseTelegramUpdate(badPhoto)).toThrow('file_id');
  });
});
