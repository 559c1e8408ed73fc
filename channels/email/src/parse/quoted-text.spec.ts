import { findQuoteMarkers, splitQuotedText, startsWithForward } from './quoted-text';

const split = (...lines: string[]) => splitQuotedText(lines.join('\n'));

describe('splitQuotedText', () => {
  it('cuts at "On … wrote:", also when Gmail wrapped it over two lines', () => {
    expect(split('Thanks!', '', 'On Sun, Mar 1, 2026 at 4:02 PM Pasokh Support <support@pasokh.example>', 'wrote:', '', '> Hello')).toEqual({
      fresh: 'Thanks!',
      quoted: 'On Sun, Mar 1, 2026 at 4:02 PM Pasokh Support <support@pasokh.example>\nwrote:\n\n> Hello',
    });
  });

  it('cuts at the Persian Gmail attribution, bidi marks and Arabic yeh included', () => {
    expect(split('ممنون', '', '\u202bدر تاريخ یکشنبه ۱ مارس ۲۰۲۶ ساعت ۱۶:۰۲ Support <s@x.example> نوشت:\u202c', '', '> سلام')?.fresh).toBe('ممنون');
  });

  it('cuts at other languages\u2019 attributions', () => {
    expect(split('Merci', 'Le dim. 1 mars 2026 à 16:02, Support <s@x.example> a écrit :', '> Bonjour')?.fresh).toBe('Merci');
    expect(split('Danke', 'Am So., 1. März 2026 um 16:02 Uhr schrieb Support <s@x.example>:', '> Hallo')?.fresh).toBe('Danke');
    expect(split('Gracias', 'El dom, 1 mar 2026 a las 16:02, Support (<s@x.example>) escribió:', '> Hola')?.fresh).toBe('Gracias');
  });

  it('cuts at Outlook\u2019s "-----Original Message-----"', () => {
    expect(split('See below.', '', '-----Original Message-----', 'From: Support', 'Sent: Sunday', 'Subject: Re: x', '', 'Hello')).toEqual({
      fresh: 'See below.',
      quoted: '-----Original Message-----\nFrom: Support\nSent: Sunday\nSubject: Re: x\n\nHello',
    });
  });

  it('cuts at Outlook\u2019s From/Sent/To/Subject block, with the underscore line above it', () => {
    expect(split('Yes please.', '________________________________', 'From: Pasokh Support <s@x.example>', 'Sent: Sunday, March 1, 2026 11:20 AM', 'To: Nima', 'Subject: Re: x', '', 'Hello')?.fresh).toBe('Yes please.');
    // "Date:" instead of "Sent:" (Outlook for Mac), bold markers from an HTML conversion, and in Persian.
    expect(split('OK', '', '*From:* Support <s@x.example>', '*Date:* Sunday', '*To:* Nima', '*Subject:* Re: x', '', 'Hi')?.fresh).toBe('OK');
    expect(split('باشه', '', 'از: پشتیبانی <s@x.example>', 'ارسال شده: یکشنبه', 'به: نیما', 'موضوع: Re: x', '', 'سلام')?.fresh).toBe('باشه');
  });

  it('does not take a lone "From:" line for a header block', () => {
    expect(split('From: the warehouse, the parcel left on Friday.', 'Subject: still missing')).toBeNull();
  });

  it('cuts a trailing block of "> " lines, with an attribution-looking line just above it', () => {
    expect(split('Agreed.', '', '> We will ship on Monday.', '> ', '> Support')).toEqual({ fresh: 'Agreed.', quoted: '> We will ship on Monday.\n> \n> Support' });
    expect(split('Agreed.', 'Support <s@x.example> wrote on 1/3/2026:', '> We will ship on Monday.')?.quoted).toBe('Support <s@x.example> wrote on 1/3/2026:\n> We will ship on Monday.');
  });

  it('keeps interleaved answers: the attribution is not cut, only the last unanswered quote', () => {
    const text = ['Answers below.', '', 'On Mon, Mar 2, 2026 Support <s@x.example> wrote:', '> What is your order number?', '1042', '> And your city?', 'Tehran', '> Anything else?'];
    expect(split(...text)).toEqual({ fresh: text.slice(0, 7).join('\n'), quoted: '> Anything else?' });
  });

  it('does not cut a mail that is all quote', () => {
    expect(split('> only', '> a quote')).toBeNull();
    expect(split('On Mon, Mar 2, 2026 Support <s@x.example> wrote:', '> hi')).toBeNull();
  });

  it('leaves a mail without history alone', () => {
    expect(split('Hello,', '', 'On Monday I will be in the office.', 'Thanks')).toBeNull();
  });

  it('reads a mail full of attributions, each answered, as interleaved throughout', () => {
    const lines = ['Answers:', ...Array.from({ length: 30000 }, (_, i) => ['On Mon, Mar 2, 2026 X <x@x.example> wrote:', '> q', 'a'][i % 3])];
    expect(findQuoteMarkers(lines)).toEqual([]);
  });
});

describe('startsWithForward', () => {
  it('sees Gmail\u2019s and Apple\u2019s forward markers, with a note above them', () => {
    expect(startsWithForward('FYI\n\n---------- Forwarded message ---------\nFrom: A <a@x.example>\nDate: Mon\nSubject: x\nTo: b@x.example\n\nbody')).toBe(true);
    expect(startsWithForward('Begin forwarded message:\n\nFrom: A <a@x.example>\nSubject: x\nDate: 1 March 2026\n\nbody')).toBe(true);
  });

  it('sees an Outlook header block only at the very top', () => {
    expect(startsWithForward('\n________________________________\nFrom: A <a@x.example>\nSent: Monday\nTo: B\nSubject: x\n\nbody')).toBe(true);
    expect(startsWithForward('My answer\n\nFrom: A <a@x.example>\nSent: Monday\nTo: B\nSubject: x\n\nbody')).toBe(false);
  });

  it('does not take a forward inside the quoted history of a reply for a forward', () => {
    expect(startsWithForward('Thanks\n\nOn Mon, Mar 2, 2026 A <a@x.example> wrote:\n> ---------- Forwarded message ---------\n> From: x')).toBe(false);
  });
});
