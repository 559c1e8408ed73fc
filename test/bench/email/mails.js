'use strict';
/*
 * Customer mail as mail clients write it, for the email benchmark: nodemailer's MailComposer builds
 * the MIME (multipart/alternative text + HTML, RFC 2047 names and subjects, base64/quoted-printable
 * bodies), so the server parses what real mail looks like. Deterministic for a seed.
 *
 * Sizes: mostly 2–20 kB of text + HTML; ATTACHMENT_SHARE of the mails carry one 100–500 kB
 * attachment (a PDF-looking blob). About a third of the mails from a returning customer answer
 * their previous mail (In-Reply-To / References / "Re:" / quoted history), so threading runs too.
 */
const crypto = require('node:crypto');
const MailComposer = require('nodemailer/lib/mail-composer');

const EN = (
  'hello order delivery package tracking number refund invoice payment card account password reset please help ' +
  'thanks waiting since yesterday still not arrived wrong size colour exchange return label courier address update ' +
  'subscription cancel renew discount code checkout error page loading slow app phone email receipt'
).split(' ');
const FA = (
  'سلام سفارش من کجاست ارسال بسته پیگیری شماره بازپرداخت فاکتور پرداخت کارت حساب رمز لطفا کمک ممنون منتظر از دیروز ' +
  'هنوز نرسیده اندازه رنگ اشتباه تعویض برگشت آدرس پیک اشتراک لغو تمدید کد تخفیف خطا صفحه کند برنامه گوشی رسید'
).split(' ');
const FIRST = ['Sara', 'Ali', 'Maryam', 'Reza', 'Neda', 'Omid', 'Leila', 'Hamid', 'Anna', 'John', 'سارا', 'علی', 'مریم', 'رضا', 'ندا', 'امید'];
const LAST = ['Ahmadi', 'Karimi', 'Rahimi', 'Hosseini', 'Smith', 'Silva', 'احمدی', 'کریمی', 'رحیمی', 'حسینی'];

/** mulberry32: a small seeded PRNG, so two runs send the same mail. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A mail factory for one mailbox. `tag` goes into every Message-ID and, with the mail's index, into
 * the first line of its text ("<tag>#<i>"), which is how a message.created push is matched to its mail.
 */
function mailFactory({ seed, tag, to, customers, domain, attachmentShare = 0.05, replyShare = 0.3, minReplyDistance = 100 }) {
  const rng = prng(seed);
  const pick = (a) => a[Math.floor(rng() * a.length)];
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const last = new Map(); // customer index → { messageId, references, subject, text }
  const stats = { mails: 0, bytes: 0, attachments: 0, replies: 0, roots: 0 };

  function words(n) {
    const persian = rng() < 0.5;
    const out = [];
    for (let i = 0; i < n; i++) out.push(pick(persian ? FA : EN));
    return out;
  }

  /** Paragraphs of about `bytes` UTF-8 bytes. */
  function paragraphs(bytes) {
    const out = [];
    let size = 0;
    while (size < bytes) {
      const p = words(int(12, 60)).join(' ') + '.';
      out.push(p);
      size += Buffer.byteLength(p) + 2;
    }
    return out;
  }

  /** Mail number i: { raw: Buffer, messageId, reply: boolean, attachment: boolean }. */
  async function make(i) {
    const c = Math.floor(rng() * customers);
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const address = `customer${c}@${domain}`;
    const messageId = `${tag}.${i}.${crypto.randomBytes(4).toString('hex')}@${domain}`;
    const previous = last.get(c);
    // A reply only to a mail built at least minReplyDistance mails earlier: deliveries run on several
    // connections, and a reply must not reach the mailbox before the mail it answers.
    const reply = !!previous && i - previous.i >= minReplyDistance && rng() < replyShare;
    // Text + HTML carry the body twice: half the target size each.
    const target = int(2_000, 20_000);
    const body = paragraphs(target * 0.42);
    const marker = `${tag}#${i}`;
    const subject = reply ? `Re: ${previous.subject}` : rng() < 0.5 ? `Order ${int(1000, 99999)}: ${words(int(2, 6)).join(' ')}` : `سفارش ${int(1000, 99999)} ${words(int(2, 5)).join(' ')}`;
    const quoted = reply ? `\n\nOn ${new Date(Date.now() - 3_600_000).toUTCString()}, ${name} <${address}> wrote:\n${previous.text.split('\n').map((l) => `> ${l}`).join('\n')}` : '';
    const text = `${marker}\n${body.join('\n\n')}${quoted}`;
    const html =
      `<div dir="auto"><p>${esc(marker)}</p>${body.map((p) => `<p>${esc(p)}</p>`).join('')}` +
      (rng() < 0.2 ? `<p><a href="https://shop.example/orders/${int(1, 9999)}">order</a><img src="https://tracker.example/p/${i}.gif" width="1" height="1"></p>` : '') +
      (reply ? `<blockquote type="cite">${previous.text.split('\n').map((l) => `<p>${esc(l)}</p>`).join('')}</blockquote>` : '') +
      '</div>';
    const attachment = rng() < attachmentShare;
    const mail = {
      from: { name, address },
      to,
      subject,
      date: new Date(),
      messageId: `<${messageId}>`,
      text,
      html,
      ...(reply ? { inReplyTo: `<${previous.messageId}>`, references: [...previous.references, previous.messageId].slice(-10).map((r) => `<${r}>`) } : {}),
      ...(attachment
        ? { attachments: [{ filename: `invoice-${i}.pdf`, contentType: 'application/pdf', content: crypto.randomBytes(int(100_000, 500_000)) }] }
        : {}),
    };
    const raw = await new MailComposer(mail).compile().build();
    last.set(c, {
      i,
      messageId,
      references: reply ? [...previous.references, previous.messageId].slice(-10) : [],
      subject: subject.replace(/^Re: /, ''),
      text: body.slice(0, 2).join('\n'),
    });
    stats.mails++;
    stats.bytes += raw.length;
    if (attachment) stats.attachments++;
    if (reply) stats.replies++;
    else stats.roots++;
    return { raw, messageId, reply, attachment };
  }

  return { make, stats };
}

module.exports = { mailFactory, prng };
