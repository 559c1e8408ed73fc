import { parseEmail } from './parse-email';

const mail = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n');

function dsn(recipients: string[][], options: { original?: string[]; headers?: string[] } = {}): Buffer {
  return mail([
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'To: support@pasokh.example',
    'Subject: Delivery Status Notification',
    'Message-ID: <dsn-1@mx.example.net>',
    ...(options.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
    '',
    '--R',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your message could not be delivered to everyone.',
    '--R',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    ...recipients.flatMap((fields) => [...fields, '']),
    ...(options.original ?? []),
    '--R--',
  ]);
}

describe('delivery reports', () => {
  it('a failed recipient wins over a delayed one; the others are counted in the reason', async () => {
    const parsed = await parseEmail(
      dsn([
        ['Final-Recipient: rfc822; late@example.org', 'Action: delayed', 'Status: 4.4.1'],
        ['Final-Recipient: rfc822; Gone@Example.org', 'Action: failed', 'Status: 5.2.1'],
        ['Final-Recipient: rfc822; gone2@example.org', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 no such user'],
      ]),
    );
    expect(parsed.kind).toBe('bounce');
    expect(parsed.bounce).toMatchObject({
      action: 'failed',
      recipient: 'gone@example.org',
      status: '5.2.1',
      reason: 'Delivery to gone@example.org (and 1 other recipient) failed: 5.2.1 (the mailbox is disabled)',
    });
  });

  it('a delayed-only report is a bounce with action delayed', async () => {
    const parsed = await parseEmail(dsn([['Final-Recipient: rfc822;slow@example.org', 'Action: delayed', 'Status: 4.4.7', 'Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection timed out']]));
    expect(parsed.bounce).toMatchObject({
      action: 'delayed',
      recipient: 'slow@example.org',
      status: '4.4.7',
      reason: 'Delivery to slow@example.org is delayed (the mail server keeps trying): connect to mx.example.org[192.0.2.1]:25: Connection timed out',
    });
  });

  it('a report where everyone got the mail is a machine message, not a bounce', async () => {
    const parsed = await parseEmail(dsn([['Final-Recipient: rfc822; ok@example.org', 'Action: delivered', 'Status: 2.0.0']]));
    expect(parsed).toMatchObject({ kind: 'auto_reply', autoReplyReason: 'Delivery status notification: delivered', bounce: null });
  });

  it('takes the original Message-ID from text/rfc822-headers', async () => {
    const parsed = await parseEmail(
      dsn([['Final-Recipient: rfc822; x@example.org', 'Action: failed', 'Status: 5.1.1']], {
        original: ['--R', 'Content-Type: text/rfc822-headers', '', 'From: support@pasokh.example', 'Message-ID: <ours-42@pasokh.example>', 'Subject: Re: x', ''],
      }),
    );
    expect(parsed.bounce?.originalMessageId).toBe('ours-42@pasokh.example');
    expect(parsed.attachments).toEqual([]);
  });

  it('falls back to the report\u2019s In-Reply-To, then the last of its References', async () => {
    const failed = [['Final-Recipient: rfc822; x@example.org', 'Action: failed']];
    expect((await parseEmail(dsn(failed, { headers: ['In-Reply-To: <ours-1@pasokh.example>'] }))).bounce?.originalMessageId).toBe('ours-1@pasokh.example');
    expect((await parseEmail(dsn(failed, { headers: ['References: <root@x> <ours-2@pasokh.example>'] }))).bounce?.originalMessageId).toBe('ours-2@pasokh.example');
    expect((await parseEmail(dsn(failed))).bounce).toMatchObject({ originalMessageId: null, reason: 'Delivery to x@example.org failed' });
  });

  it('a read receipt (disposition-notification report) is a machine message', async () => {
    const parsed = await parseEmail(
      mail([
        'From: Sara <sara@example.com>',
        'Message-ID: <mdn-1@example.com>',
        'Subject: Read: Re: Order #1042',
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="M"',
        '',
        '--M',
        'Content-Type: text/plain',
        '',
        'Your message was read.',
        '--M--',
      ]),
    );
    expect(parsed).toMatchObject({ kind: 'auto_reply', autoReplyReason: 'Content-Type: multipart/report; report-type=disposition-notification' });
  });

  it('a qmail "failure notice" from MAILER-DAEMON, read from its text', async () => {
    const parsed = await parseEmail(
      mail([
        'From: MAILER-DAEMON@mail.hosting.example',
        'To: support@pasokh.example',
        'Subject: failure notice',
        'Message-ID: <q-1@mail.hosting.example>',
        '',
        'Hi. This is the qmail-send program at mail.hosting.example.',
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.",
        '',
        '<Ali@Example.org>:',
        '192.0.2.7 does not like recipient.',
        'Remote host said: 552 5.2.2 Mailbox full',
        'Giving up on 192.0.2.7.',
        '',
        '--- Below this line is a copy of the message.',
        '',
        'Return-Path: <support@pasokh.example>',
        'Message-ID: <ours-9@pasokh.example>',
        'Subject: Re: x',
        '',
        'Hello Ali',
      ]),
    );
    expect(parsed.kind).toBe('bounce');
    expect(parsed.bounce).toEqual({
      action: 'failed',
      originalMessageId: 'ours-9@pasokh.example',
      recipient: 'ali@example.org',
      status: '5.2.2',
      reason: 'Delivery to ali@example.org failed: 552 5.2.2 Mailbox full',
    });
  });

  it('a "delayed" warning from the postmaster is a delayed bounce', async () => {
    const parsed = await parseEmail(
      mail(['From: postmaster@mx.example.net', 'Subject: Warning: message 4Q8 delayed 4 hours', 'Message-ID: <w-1@mx.example.net>', '', 'Your message has not yet been delivered to <later@example.org>.', 'It will be retried.']),
    );
    expect(parsed.bounce).toMatchObject({ action: 'delayed', reason: 'Delivery is delayed (the mail server keeps trying)' });
  });

  it('a person whose subject mentions delivery is not a bounce', async () => {
    const parsed = await parseEmail(mail(['From: Sara <sara@example.com>', 'Subject: Undelivered parcel', 'Message-ID: <p-1@example.com>', '', 'My parcel was not delivered.']));
    expect(parsed).toMatchObject({ kind: 'message', bounce: null });
  });
});
