import { createHash } from 'node:crypto';
import { sanitizeMessageHtml } from '@pasokh/messages';
import { EML_DEFAULTS, EML_FIXTURE_DEFAULTS, EmlFixture, loadEml } from '../../../../test/fixtures/email';
import { EmailParseError, parseEmail, ParsedEmail } from './index';

const parse = (name: EmlFixture, vars?: Record<string, string>) => parseEmail(loadEml(name, vars));
/** The part of the HTML before the collapsed history, and the history itself. */
function htmlParts(html: string): { shown: string; quoted: string } {
  const at = html.indexOf('<details data-quoted>');
  if (at === -1) return { shown: html, quoted: '' };
  return { shown: html.slice(0, at), quoted: html.slice(at) };
}
async function parseError(raw: Buffer): Promise<EmailParseError> {
  const error = await parseEmail(raw).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(EmailParseError);
  return error as EmailParseError;
}

describe('parseEmail: replies from the big clients', () => {
  it('Gmail: ids, addresses, the reply without its quote, the quote collapsed in the HTML', async () => {
    const mail = await parse('gmail-reply', {
      FROM: 'Sara.Ahmadi@Example.com',
      MESSAGE_ID: 'CAJ8-test-1@mail.gmail.com',
      IN_REPLY_TO: 'reply-1@pasokh.example',
      REFERENCES: '<first@mail.gmail.com> reply-1@pasokh.example <first@mail.gmail.com>',
      DATE: 'Mon, 2 Mar 2026 10:15:42 +0330',
    });
    expect(mail).toMatchObject({
      messageId: 'CAJ8-test-1@mail.gmail.com',
      externalMessageId: 'CAJ8-test-1@mail.gmail.com',
      inReplyTo: ['reply-1@pasokh.example'],
      references: ['first@mail.gmail.com', 'reply-1@pasokh.example'],
      from: { address: 'sara.ahmadi@example.com', name: 'Sara Ahmadi' },
      replyTo: null,
      to: ['support@pasokh.example'],
      cc: [],
      subject: 'Re: Order #1042 has not arrived',
      kind: 'message',
      autoReplyReason: null,
      bounce: null,
      forwarded: false,
      attachments: [],
    });
    expect(mail.date?.toISOString()).toBe('2026-03-02T06:45:42.000Z');
    expect(mail.text).toBe(
      'Hi,\n\nI checked again this morning and the parcel is still not here. The tracking page says "in transit" since Friday.\n\nCould you please ask the courier?\n\nThanks,\nSara',
    );
    const { shown, quoted } = htmlParts(mail.html);
    expect(shown).toContain('Could you please ask the courier?');
    expect(shown).not.toContain('Hello Sara');
    expect(quoted).toMatch(/^<details data-quoted><summary>…<\/summary><div class="gmail_quote gmail_quote_container">/);
    expect(quoted).toContain('wrote:');
    expect(quoted).toContain('Your order #1042 was shipped on Thursday');
    expect(quoted).toMatch(/<\/details>$/);
  });

  it('Gmail in Persian: "در تاریخ … نوشت:" with bidi marks ends the reply', async () => {
    const mail = await parse('gmail-reply-persian');
    expect(mail.subject).toBe('Re: کد تخفیف کار نمی‌کنه');
    expect(mail.from).toEqual({ address: 'maryam.hosseini@example.com', name: 'مریم حسینی' });
    expect(mail.text).toBe('سلام،\nممنون از پاسخ‌تون. کد تخفیف هنوز کار نمی‌کنه و پیام «کد نامعتبر است» رو می‌ده.\nلطفاً بررسی کنید.\n\nبا تشکر\nمریم');
    const { shown, quoted } = htmlParts(mail.html);
    expect(shown).toContain('<div dir="rtl">');
    expect(shown).not.toContain('SPRING1404');
    expect(quoted).toContain('نوشت:');
    expect(quoted).toContain('SPRING1404');
  });

  it('Outlook desktop: the From/Sent/To/Subject block and the border-top div start the history', async () => {
    const mail = await parse('outlook-reply');
    expect(mail.text).toBe(
      'Hello,\n\nThank you, but the amount is still wrong: we were charged 4,200,000 IRR instead of 3,900,000 IRR. Please send a corrected invoice.\n\nKind regards,\nReza Karimi\nFinance, Contoso',
    );
    const { shown, quoted } = htmlParts(mail.html);
    expect(shown).toContain('Finance, Contoso');
    expect(shown).not.toMatch(/Dear Reza|border-top|<head|<style|mso-/);
    // The history keeps its structure: the WordSection1 it sat in is re-opened around it.
    expect(quoted).toMatch(/^<details data-quoted><summary>…<\/summary><div class="WordSection1"><div>\s*<div style="border:none;border-top:solid/);
    expect(quoted).toContain('We have corrected invoice #4521');
    expect(quoted).toMatch(/<\/div><\/details>$/);
  });

  it('Outlook on the web: #appendonsend, the <hr> and #divRplyFwdMsg start the history', async () => {
    const mail = await parse('outlook-web-reply');
    expect(mail.text).toBe('Yes, please cancel the second subscription and refund it.\n\nNima');
    const { shown, quoted } = htmlParts(mail.html);
    expect(shown).toContain('Nima</div>');
    expect(shown).not.toContain('two active subscriptions');
    expect(quoted).toMatch(/^<details data-quoted><summary>…<\/summary><div id="appendonsend"><\/div>\s*<hr/);
    expect(quoted).toContain('id="divRplyFwdMsg"');
    expect(quoted).toContain('two active subscriptions');
  });

  it('Apple Mail: the "> On … wrote:" quote in text and blockquote type="cite" in HTML', async () => {
    const mail = await parse('apple-mail-reply');
    expect(mail.text).toBe('Thanks, resetting the password worked. I\u2019m in now.\n\nLeila');
    const { shown, quoted } = htmlParts(mail.html);
    expect(shown).toBe('Thanks, resetting the password worked. I\u2019m in now.<div><br></div><div>Leila<br id="lineBreakAtBeginningOfMessage"></div>');
    expect(quoted).toMatch(/^<details data-quoted><summary>…<\/summary><div><div><br><blockquote type="cite">/);
    expect(quoted).toContain('password reset link');
  });

  it('two people answering the same newsletter: same References, different senders, quotes collapsed', async () => {
    const [a, b] = await Promise.all([parse('mass-mail-reply-a'), parse('mass-mail-reply-b')]);
    const newsletter = EML_FIXTURE_DEFAULTS['mass-mail-reply-a'].IN_REPLY_TO;
    expect(a.references).toEqual([newsletter]);
    expect(b.references).toEqual([newsletter]);
    expect(a.inReplyTo).toEqual(b.inReplyTo);
    expect(a.from.address).not.toBe(b.from.address);
    expect(a.externalMessageId).not.toBe(b.externalMessageId);
    expect(a.text).toBe('Does the 20% discount also apply to the yearly plan?\n\nSara');
    expect(b.text).toBe('Please remove me from this list.\n\nSent from my iPhone');
    expect(htmlParts(b.html).shown).not.toContain('MARCH20');
    expect(htmlParts(b.html).quoted).toContain('MARCH20');
    expect([a.kind, b.kind, a.forwarded, b.forwarded]).toEqual(['message', 'message', false, false]);
  });
});

describe('parseEmail: charsets', () => {
  it('decodes a windows-1256 body, subject and display name (Persian from an older Outlook)', async () => {
    const mail = await parse('persian-windows-1256');
    expect(mail.subject).toBe('پيگيري سفارش 1042 - ارسال نشده');
    expect(mail.from).toEqual({ address: EML_FIXTURE_DEFAULTS['persian-windows-1256'].FROM, name: 'مريم حسيني' });
    expect(mail.text).toBe(
      'سلام،\n\nسفارش شماره 1042 من هنوز به دستم نرسيده است. مي\u200cخواهم بدانم بسته کجاست.\nلطفاً پيگيري کنيد و نتيجه را به من اطلاع دهيد.\n\nبا تشکر،\nمريم حسيني',
    );
    expect(mail.html).toContain('لطفاً پيگيري کنيد');
    expect(mail.html).toContain('dir="RTL"');
    expect(mail.html).not.toContain('<style');
  });

  it('decodes ISO-8859-2 with format=flowed (a trailing space joins two lines)', async () => {
    const mail = await parse('iso-8859-2');
    expect(mail.subject).toBe('Zamówienie 1042 - błędny adres dostawy');
    expect(mail.from.name).toBe('Paweł Zieliński');
    expect(mail.text).toBe(
      'Dzień dobry,\n\nw zamówieniu nr 1042 podałem błędny adres dostawy. Proszę o zmianę na: ul. Źródlana 5/12, 80-299 Gdańsk.\n\nZ poważaniem\nPaweł Zieliński',
    );
    // Plain text only: the HTML is built from it.
    expect(mail.html).toBe(
      '<div dir="auto">Dzień dobry,<br><br>w zamówieniu nr 1042 podałem błędny adres dostawy. Proszę o zmianę na: ul. Źródlana 5/12, 80-299 Gdańsk.<br><br>Z poważaniem<br>Paweł Zieliński</div>',
    );
  });

  it('decodes ISO-8859-1 quoted-printable text and HTML', async () => {
    const mail = await parse('iso-8859-1');
    expect(mail.subject).toBe('Facture de la commande n° 1042 à renvoyer');
    expect(mail.from.name).toBe('Hélène Lefèvre');
    expect(mail.text).toContain('Je n\'ai toujours pas reçu la facture de ma commande n° 1042.');
    expect(mail.html).toContain('<div>Merci d\'avance et bonne journée,</div>');
  });
});

describe('parseEmail: attachments', () => {
  it('keeps the inline cid image (referenced from the HTML) apart from the PDF attachment', async () => {
    const mail = await parse('multipart-attachments');
    expect(mail.attachments.map(({ content, ...rest }) => ({ ...rest, size: content.length }))).toEqual([
      { filename: 'error.png', contentType: 'image/png', contentId: 'ii_m7x2k4p10', inline: true, size: 108 },
      { filename: 'فاکتور-4521.pdf', contentType: 'application/pdf', contentId: 'f_m7x2k4p21', inline: false, size: 593 },
    ]);
    const [png, pdf] = mail.attachments;
    expect(png.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(mail.html).toContain('<img src="cid:ii_m7x2k4p10"');
    expect(mail.text).toContain('the site shows this error:');
  });

  it('an inline part nothing references stays a regular attachment; a text-only mail references nothing', async () => {
    const raw = mime([
      'From: a@example.com',
      'Message-ID: <x1@example.com>',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the photo.',
      '--b',
      'Content-Type: image/jpeg; name="photo.jpg"',
      'Content-Disposition: inline; filename="photo.jpg"',
      'Content-ID: <photo1@example.com>',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('not really a jpeg').toString('base64'),
      '--b--',
    ]);
    const mail = await parseEmail(raw);
    expect(mail.attachments).toMatchObject([{ filename: 'photo.jpg', contentId: 'photo1@example.com', inline: false }]);
  });
});

describe('parseEmail: automatic mail', () => {
  it('reads a standard DSN: action, recipient, status, reason and our original Message-ID', async () => {
    const mail = await parse('dsn-bounce', { ORIGINAL_MESSAGE_ID: 'reply-7@pasokh.example' });
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toEqual({
      action: 'failed',
      originalMessageId: 'reply-7@pasokh.example',
      recipient: 'bob@example.com',
      status: '5.1.1',
      reason: 'Delivery to bob@example.com failed: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(mail.autoReplyReason).toBeNull();
    expect(mail.attachments).toEqual([]); // the delivery-status part and the returned message are machine parts
    expect(mail.text).toMatch(/^This is the mail system at host mail.pasokh.example./);
    expect(mail.html).toContain('&nbsp;&nbsp;&nbsp;&nbsp;&lt;bob@example.com&gt;: Recipient address rejected');
    expect(mail.forwarded).toBe(false);
    // Told apart by its Content-Type, whoever the MTA says it is.
    const other = await parse('dsn-bounce', { FROM: 'MAILER-DAEMON@mx.shop.example' });
    expect([other.kind, other.from.address]).toEqual(['bounce', 'mailer-daemon@mx.shop.example']);
  });

  it('reads a plain-text Exim bounce from its text and X-Failed-Recipients', async () => {
    const mail = await parse('exim-bounce', { ORIGINAL_MESSAGE_ID: 'reply-8@pasokh.example' });
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toEqual({
      action: 'failed',
      originalMessageId: 'reply-8@pasokh.example',
      recipient: 'reza@unknown-domain.example',
      status: '5.1.1',
      reason: 'Delivery to reza@unknown-domain.example failed: 550 5.1.1 <reza@unknown-domain.example>: Recipient address rejected: User unknown',
    });
  });

  it('an out-of-office reply is auto_reply with its reason', async () => {
    const mail = await parse('out-of-office');
    expect(mail).toMatchObject({ kind: 'auto_reply', autoReplyReason: 'Auto-Submitted: auto-replied', bounce: null, subject: 'در مرخصی هستم' });
    expect(mail.text).toContain('من تا ۱۵ اسفند در مرخصی هستم');
  });

  it('a newsletter with Precedence: bulk is auto_reply', async () => {
    const mail = await parse('bulk-newsletter');
    expect(mail).toMatchObject({ kind: 'auto_reply', autoReplyReason: 'Precedence: bulk', replyTo: { address: 'news@shop.example', name: 'Shop Weekly' } });
    expect(mail.html).not.toMatch(/<title|<style|<head/);
    expect(mail.html).toContain('MARCH20');
  });
});

describe('parseEmail: forwards', () => {
  it('a Gmail forward is marked and keeps the forwarded message in text and HTML', async () => {
    const mail = await parse('forwarded');
    expect(mail.forwarded).toBe(true);
    expect(mail.references).toEqual(EML_DEFAULTS.REFERENCES.split(' '));
    expect(mail.text).toContain('you promised a refund last week');
    expect(mail.text).toContain('---------- Forwarded message ---------');
    expect(mail.text).toContain('We will refund the shipping cost');
    expect(mail.html).not.toContain('<details');
    expect(mail.html).toContain('We will refund the shipping cost');
  });

  it('is decided by the first subject prefix: "Fwd:", "FW:", "WG:", "TR:", "RV:", "Enc:" yes, "Re: Fwd:" no', async () => {
    const forwarded = async (subject: string) => (await parse('gmail-reply', { SUBJECT: subject })).forwarded;
    for (const subject of ['Fwd: x', 'FW: x', 'fw: x', 'WG: x', 'TR: x', 'RV: x', 'Enc: x', '[EXTERNAL] FW: x', 'Fwd: Re: x']) {
      expect([subject, await forwarded(subject)]).toEqual([subject, true]);
    }
    for (const subject of ['Re: Fwd: x', 'Re: x', 'Forward planning', 'Trip: x']) {
      expect([subject, await forwarded(subject)]).toEqual([subject, false]);
    }
  });

  it('is seen in the body when the subject says nothing', async () => {
    const mail = await parse('forwarded', { SUBJECT: 'look at this' });
    expect(mail.forwarded).toBe(true);
  });
});

describe('parseEmail: mail without a Message-ID', () => {
  it('gets a content hash as its external id', async () => {
    const mail = await parse('no-message-id');
    expect(mail.messageId).toBeNull();
    expect(mail.externalMessageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(mail.replyTo).toEqual({ address: 'nima.j@example.org', name: 'Nima Jafari' });
    expect(mail.text).toContain('پیامکی دریافت نکردم');
  });

  it('the hash survives redelivery: more Received headers, another Delivered-To, LF line ends', async () => {
    const original = loadEml('no-message-id');
    const first = await parseEmail(original);
    const redelivered = Buffer.concat([
      Buffer.from(
        'Return-Path: <bounce@relay.example>\r\nDelivered-To: archive@pasokh.example\r\n' +
          'Received: from relay.example (relay.example [198.51.100.9])\r\n\tby mx2.pasokh.example (Postfix) with ESMTPS id 4Q9ZZZ\r\n\tfor <support@pasokh.example>; Mon,  2 Mar 2026 13:05:00 +0330 (+0330)\r\n',
      ),
      original,
    ]);
    expect((await parseEmail(redelivered)).externalMessageId).toBe(first.externalMessageId);
    const lf = Buffer.from(original.toString('utf8').replace(/\r\n/g, '\n'));
    expect((await parseEmail(lf)).externalMessageId).toBe(first.externalMessageId);
  });

  it('the hash changes with what the sender wrote', async () => {
    const base = (await parse('no-message-id')).externalMessageId;
    const others = await Promise.all([
      parse('no-message-id', { SUBJECT: 'Contact form: something else' }),
      parse('no-message-id', { FROM: 'someone.else@example.com' }),
      parse('no-message-id', { DATE: 'Mon, 2 Mar 2026 13:02:44 +0330' }),
      parse('no-message-id', { TO: 'sales@pasokh.example' }),
    ]);
    for (const other of others) expect(other.externalMessageId).not.toBe(base);
  });

  it('is not a hash of the raw bytes', async () => {
    const raw = loadEml('no-message-id');
    const mail = await parseEmail(raw);
    expect(mail.externalMessageId).not.toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
  });
});

describe('parseEmail: what cannot become a message', () => {
  it('a From with a name and no address (malformed.eml)', async () => {
    const error = await parseError(loadEml('malformed'));
    expect(error.message).toBe('the From header (Billing Department) has no usable email address');
  });

  it('empty input', async () => {
    expect((await parseError(Buffer.alloc(0))).message).toBe('the message is empty');
    expect((await parseError(Buffer.from('\r\n\r\n'))).message).toMatch(/empty/);
  });

  it('no header block', async () => {
    expect((await parseError(Buffer.from('Hello, this is just a text file.\nNo headers here.\n'))).message).toBe(
      'the message has no header block: it starts with "Hello, this is just a text file." instead of header fields such as "From:"',
    );
    expect((await parseError(Buffer.from('\r\nFrom: a@example.com\r\n\r\nbody'))).message).toBe('the message has no header block: it starts with an empty line');
  });

  it('no From header at all', async () => {
    expect((await parseError(mime(['To: support@pasokh.example', 'Subject: hi', '', 'body']))).message).toBe('the message has no From header');
  });

  it('mailparser refusing the MIME (a header block over 1 MB)', async () => {
    const error = await parseError(mime([`X-Junk: ${'a'.repeat(1_100_000)}`, 'From: a@example.com', '', 'body']));
    expect(error.message).toMatch(/^the message could not be read as MIME: /);
  });
});

describe('parseEmail: details', () => {
  it('accepts an mbox "From " line before the headers', async () => {
    const mail = await parseEmail(Buffer.concat([Buffer.from('From sara@example.com Mon Mar  2 10:15:44 2026\n'), loadEml('gmail-reply')]));
    expect(mail.from.address).toBe('sara.ahmadi@example.com');
  });

  it('an unreadable Date is null, not "now"', async () => {
    expect((await parse('gmail-reply', { DATE: 'sometime last week' })).date).toBeNull();
  });

  it('flattens address groups and lower-cases To and Cc', async () => {
    const mail = await parseEmail(
      mime(['From: "Sara" <SARA@Example.COM>', 'To: Team: A@Example.com, b@example.com;, c@example.com', 'Cc: D@Example.com', 'Message-ID: <g1@example.com>', '', 'hi']),
    );
    expect(mail.from).toEqual({ address: 'sara@example.com', name: 'Sara' });
    expect(mail.to).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(mail.cc).toEqual(['d@example.com']);
  });

  it('a mail that is nothing but a quote keeps its whole text', async () => {
    const mail = await parseEmail(mime(['From: a@example.com', 'Message-ID: <q1@example.com>', '', '> only a quote', '> nothing else']));
    expect(mail.text).toBe('> only a quote\n> nothing else');
    expect(mail.html).not.toContain('<details');
  });

  it('plain text becomes escaped HTML with the quote collapsed', async () => {
    const mail = await parseEmail(
      mime(['From: a@example.com', 'Message-ID: <p1@example.com>', '', 'Is <b>this</b> & https://shop.example/o/1 ok?', '', 'On Mon, Mar 2, 2026 Support <s@pasokh.example> wrote:', '> yes']),
    );
    expect(mail.text).toBe('Is <b>this</b> & https://shop.example/o/1 ok?');
    expect(mail.html).toBe(
      '<div dir="auto">Is &lt;b&gt;this&lt;/b&gt; &amp; <a href="https://shop.example/o/1">https://shop.example/o/1</a> ok?' +
        '<details data-quoted><summary>…</summary>On Mon, Mar 2, 2026 Support &lt;s@pasokh.example&gt; wrote:<br>&gt; yes</details></div>',
    );
  });
});

describe('parseEmail: HTML-only mail', () => {
  it('takes the text from the HTML, without the quote', async () => {
    const mail = await parseEmail(
      mime([
        'From: a@example.com',
        'Message-ID: <h1@example.com>',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<div dir="ltr">Thanks, that works.</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 2, 2026 at 9:00 AM Support &lt;s@x.example&gt; wrote:<br></div><blockquote class="gmail_quote">Try again please.</blockquote></div>',
      ]),
    );
    expect(mail.text).toBe('Thanks, that works.');
    expect(htmlParts(mail.html).quoted).toContain('Try again please.');
  });

  it('still has text when the HTML is nested too deep for mailparser to convert', async () => {
    const deep = '<div>'.repeat(3000) + 'deep text' + '</div>'.repeat(3000);
    const mail = await parseEmail(mime(['From: a@example.com', 'Message-ID: <h2@example.com>', 'Content-Type: text/html; charset=utf-8', '', deep]));
    expect(mail.text).toBe('deep text');
    expect(mail.html).toBe(deep);
  });

  it('a mail with only an attachment has empty text and HTML, and a generated file name', async () => {
    const mail = await parseEmail(
      mime(['From: a@example.com', 'Message-ID: <h3@example.com>', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', 'AAAA', '--b--']),
    );
    expect(mail).toMatchObject({ text: '', html: '', attachments: [{ filename: 'attachment-1.bin', contentType: 'application/octet-stream', contentId: null, inline: false }] });
  });
});

describe('the hostile HTML after sanitizeMessageHtml', () => {
  let mail: ParsedEmail;
  let safe: string;
  beforeAll(async () => {
    mail = await parse('html-xss');
    safe = sanitizeMessageHtml(mail.html)!;
  });

  it('had every vector before sanitizing (the fixture is really hostile)', () => {
    expect(mail.html).toMatch(/<script/i);
    expect(mail.html).toMatch(/onerror=/i);
    expect(mail.html).toMatch(/<iframe/i);
  });

  it('has no script, no event handler, no javascript: URL', () => {
    expect(safe).not.toMatch(/<script/i);
    expect(safe).not.toMatch(/alert\(/i);
    expect(safe).not.toMatch(/\son[a-z]+\s*=/i);
    expect(safe).not.toMatch(/javascript\s*:/i);
    expect(safe).not.toMatch(/&#0*106;|&#x0*6a;/i); // no entity-encoded "javascript" either
  });

  it('has no iframe, form, input, style, svg, object, embed, meta or base', () => {
    expect(safe).not.toMatch(/<(iframe|form|input|button|style|svg|object|embed|meta|base|link|math)\b/i);
    expect(safe).not.toMatch(/style=/i);
    expect(safe).not.toContain('iframe fallback');
  });

  it('keeps the remote tracking image only as data-remote-src, and a sender-written data-remote-src not at all', () => {
    expect(safe).toContain('data-remote-src="https://tracker.evil.example/open.gif?id=8841"');
    expect(safe).not.toMatch(/\ssrc="https?:/);
    expect(safe).toContain('src="cid:logo@shop.example"');
    expect(safe.match(/data-remote-src/g)).toHaveLength(1);
  });

  it('keeps the harmless content and the real link', () => {
    expect(safe).toContain('<a href="https://shop.example/orders/1042" target="_blank" rel="noopener noreferrer nofollow">');
    expect(safe).toContain('styled block');
    expect(safe).not.toContain('<details'); // the sender's own <details> is not ours
  });
});

describe('quoted history after sanitizeMessageHtml', () => {
  it.each<EmlFixture>(['gmail-reply', 'outlook-reply', 'outlook-web-reply', 'apple-mail-reply', 'gmail-reply-persian'])('%s keeps a collapsed <details data-quoted>', async (name) => {
    const safe = sanitizeMessageHtml((await parse(name)).html)!;
    expect(safe).toContain('<details data-quoted><summary>…</summary>');
    expect(safe).not.toContain(' open');
  });
});

function mime(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

describe('the .eml fixtures', () => {
  const names = Object.keys(EML_FIXTURE_DEFAULTS) as EmlFixture[];

  it.each(names)('%s: every placeholder filled, CRLF line ends only', (name) => {
    const raw = loadEml(name).toString('latin1');
    expect(raw).not.toMatch(/\{\{|\}\}/);
    expect(raw).not.toMatch(/(^|[^\r])\n/);
  });

  it.each(names.filter((name) => name !== 'malformed'))('%s parses', async (name) => {
    const mail = await parse(name);
    expect(mail.text).not.toBe('');
    expect(mail.from.address).toMatch(/@/);
  });

  it('keeps non-UTF-8 bytes as they are: windows-1256 "سلام" is D3 E1 C7 E3', () => {
    expect(loadEml('persian-windows-1256').includes(Buffer.from([0xd3, 0xe1, 0xc7, 0xe3]))).toBe(true);
    expect(loadEml('iso-8859-2').includes(Buffer.from('Dzie\xf1 dobry', 'latin1'))).toBe(true);
  });

  it('writes ids without doubled brackets and wraps References ids', () => {
    const raw = loadEml('gmail-reply', { MESSAGE_ID: '<id-1@x>', IN_REPLY_TO: 'id-0@x', REFERENCES: 'root@x <id-0@x>' }).toString('utf8');
    expect(raw).toContain('\r\nMessage-ID: <id-1@x>\r\n');
    expect(raw).toContain('\r\nIn-Reply-To: <id-0@x>\r\n');
    expect(raw).toContain('\r\nReferences: <root@x> <id-0@x>\r\n');
  });

  it('fills from the test, then the fixture, then the shared defaults', () => {
    const raw = loadEml('gmail-reply', { TO: 'help@pasokh.example' }).toString('utf8');
    expect(raw).toContain('To: Pasokh Support <help@pasokh.example>');
    expect(raw).toContain(`From: Sara Ahmadi <${EML_FIXTURE_DEFAULTS['gmail-reply'].FROM}>`);
    expect(raw).toContain(`Date: ${EML_DEFAULTS.DATE}`);
  });

  it('refuses an unknown fixture', () => {
    expect(() => loadEml('no-such-fixture')).toThrow('no email fixture named "no-such-fixture"');
  });
});
