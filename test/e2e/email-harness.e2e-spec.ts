import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { Dovecot, LMTP_SENDER, startDovecot } from '../support/dovecot';
import { SmtpPeer, startSmtpPeer } from '../support/smtp-peer';

// The harness itself: a private Dovecot (IMAP + LMTP) and an in-process SMTP peer.

const USER = 'support@example.test';
const PASSWORD = 'imap-password';

/** A small mail whose body is windows-1256 bytes (8-bit, not UTF-8): "سلام" = D3 E1 C7 E3. */
function persianMail(messageId: string): Buffer {
  const head = [
    'From: Customer <customer@example.test>',
    `To: ${USER}`,
    'Subject: salam',
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=windows-1256',
    'Content-Transfer-Encoding: 8bit',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'ascii'), Buffer.from([0xd3, 0xe1, 0xc7, 0xe3]), Buffer.from('\r\n', 'ascii')]);
}

describe('email test harness', () => {
  let dovecot: Dovecot;
  let smtp: SmtpPeer;

  beforeAll(async () => {
    dovecot = await startDovecot();
    await dovecot.addUser(USER, PASSWORD);
    smtp = await startSmtpPeer();
  });

  afterAll(async () => {
    await dovecot?.stop();
    await smtp?.close();
  });

  it('delivers over LMTP and reads the mail back byte for byte over IMAP', async () => {
    const raw = persianMail('lmtp-1@example.test');
    await dovecot.deliver(USER, raw);

    const client = await dovecot.connectImap(USER, PASSWORD);
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const message = await client.fetchOne('*', { source: true });
        expect(message && message.source).toBeTruthy();
        const source = (message as { source: Buffer }).source;
        // LMTP prepends the envelope sender and nothing else.
        expect(source.equals(Buffer.concat([Buffer.from(`Return-Path: <${LMTP_SENDER}>\r\n`), raw]))).toBe(true);
        expect((await simpleParser(source)).text?.trim()).toBe('سلام');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
    await expect(dovecot.connectImap(USER, 'wrong-password')).rejects.toThrow();
    await expect(dovecot.deliver('nobody@example.test', raw)).rejects.toThrow();
  });

  it('sees new users and changed passwords as soon as addUser resolves', async () => {
    await dovecot.addUser('agent@example.test', 'first-pw');
    await (await dovecot.connectImap('agent@example.test', 'first-pw')).logout();
    await dovecot.addUser('agent@example.test', 'other-pw'); // same length, within a second or so
    await expect(dovecot.connectImap('agent@example.test', 'first-pw')).rejects.toThrow();
    await (await dovecot.connectImap('agent@example.test', 'other-pw')).logout();
  });

  it('wakes an IDLE client within a second of an LMTP delivery', async () => {
    const client = await dovecot.connectImap(USER, PASSWORD);
    try {
      await client.mailboxOpen('INBOX');
      const exists = new Promise<number>((resolve) => client.once('exists', () => resolve(Date.now())));
      const idling = client.idle();
      await new Promise((resolve) => setTimeout(resolve, 100)); // let IDLE begin
      await dovecot.deliver(USER, persianMail('idle-1@example.test'));
      const delivered = Date.now();
      // Dovecot holds change notifications back 0.5 s to batch them (NOTIFY_DELAY_MSECS).
      expect((await exists) - delivered).toBeLessThan(1_000);
      await client.noop(); // ends IDLE
      await idling;
    } finally {
      await client.logout();
    }
  });

  it('appends to INBOX and to a new mailbox', async () => {
    const inbox = await dovecot.messageCount(USER, PASSWORD);
    await dovecot.append(USER, PASSWORD, 'INBOX', persianMail('append-1@example.test'), ['\\Seen']);
    await dovecot.append(USER, PASSWORD, 'Archive', persianMail('append-2@example.test'));
    expect(await dovecot.messageCount(USER, PASSWORD)).toBe(inbox + 1);
    expect(await dovecot.messageCount(USER, PASSWORD, 'Archive')).toBe(1);
  });

  it('recreates a mailbox with a new UIDVALIDITY and the same messages', async () => {
    const count = await dovecot.messageCount(USER, PASSWORD);
    const { before, after } = await dovecot.recreateMailbox(USER, PASSWORD);
    expect(after).not.toBe(before);
    expect(await dovecot.uidValidity(USER, PASSWORD)).toBe(after);
    expect(await dovecot.messageCount(USER, PASSWORD)).toBe(count);

    const archive = await dovecot.recreateMailbox(USER, PASSWORD, 'Archive');
    expect(archive.after).not.toBe(archive.before);
    expect(await dovecot.messageCount(USER, PASSWORD, 'Archive')).toBe(1);
  });

  it('restarts on the same ports with the same mail, after being down for a while', async () => {
    const { imapPort, lmtpPort } = dovecot;
    const count = await dovecot.messageCount(USER, PASSWORD);
    const client = await dovecot.connectImap(USER, PASSWORD);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    await dovecot.stopServer();
    await closed; // connections drop when the server goes away
    await expect(dovecot.connectImap(USER, PASSWORD)).rejects.toThrow();
    await dovecot.startServer();

    expect([dovecot.imapPort, dovecot.lmtpPort]).toEqual([imapPort, lmtpPort]);
    expect(await dovecot.messageCount(USER, PASSWORD)).toBe(count);
    await dovecot.restart();
    await dovecot.deliver(USER, persianMail('after-restart@example.test'));
    expect(await dovecot.messageCount(USER, PASSWORD)).toBe(count + 1);
  });

  it('receives mail at the SMTP peer, and fails the next sends on request', async () => {
    const transport = createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'agent@example.test', to: 'customer@example.test', subject: 'hello', text: 'سلام' });
      const received = await smtp.waitForMessage((message) => message.parsed.subject === 'hello');
      expect(received.envelope).toEqual({ from: 'agent@example.test', to: ['customer@example.test'] });
      expect(received.parsed.text?.trim()).toBe('سلام');
      expect(received.raw.toString('utf8')).toContain('Subject: hello');

      smtp.failNext(1);
      await expect(transport.sendMail({ from: 'agent@example.test', to: 'customer@example.test', subject: 'retry', text: 'x' })).rejects.toMatchObject({
        responseCode: 451,
      });
      smtp.failNext(1, 550, 'no such user');
      await expect(transport.sendMail({ from: 'agent@example.test', to: 'customer@example.test', subject: 'retry', text: 'x' })).rejects.toMatchObject({
        responseCode: 550,
      });
      expect(smtp.messages.some((message) => message.parsed.subject === 'retry')).toBe(false);

      const later = smtp.waitForMessage((message) => message.parsed.subject === 'retry');
      await transport.sendMail({ from: 'agent@example.test', to: 'customer@example.test', subject: 'retry', text: 'x' });
      await later;
    } finally {
      transport.close();
    }
  });

  it('requires and checks AUTH when the SMTP peer is given credentials', async () => {
    const peer = await startSmtpPeer({ auth: { user: 'relay', pass: 'relay-password' } });
    const send = (auth?: { user: string; pass: string }) => {
      const transport = createTransport({ host: peer.host, port: peer.port, secure: false, ignoreTLS: true, auth });
      return transport.sendMail({ from: 'agent@example.test', to: 'customer@example.test', subject: 'auth', text: 'x' }).finally(() => transport.close());
    };
    try {
      await expect(send()).rejects.toMatchObject({ responseCode: 530 });
      await expect(send({ user: 'relay', pass: 'wrong' })).rejects.toMatchObject({ responseCode: 535 });
      await send({ user: 'relay', pass: 'relay-password' });
      expect(peer.messages).toHaveLength(1);
    } finally {
      await peer.close();
    }
  });
});
