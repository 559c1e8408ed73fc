import { randomUUID } from 'node:crypto';
import { loadEml } from '../fixtures/email';
import { Dovecot, startDovecot } from '../support/dovecot';
import { SmtpPeer, startSmtpPeer } from '../support/smtp-peer';
import { AgentClient, eventually, HttpClient, startPeerServer, startTestServer, TestServer } from '../support/test-server';

// Short timings: a poll every 2 s behind IDLE, and a lease retried every second.
process.env.EMAIL_POLL_INTERVAL_SEC = '2';
process.env.EMAIL_LEASE_RETRY_SEC = '1';
const ENV = { OUTBOX_MAX_ATTEMPTS: '3', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' };

const SUPPORT = { user: 'support@shop.test', password: 'imap-secret' };

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A plain customer mail, as a mail client writes it. */
function mail(o: { from: string; name?: string; subject: string; text: string; messageId?: string | null; inReplyTo?: string; references?: string[]; headers?: string[] }): string {
  const lines = [
    `From: ${o.name ? `"${o.name}" ` : ''}<${o.from}>`,
    `To: Shop Support <${SUPPORT.user}>`,
    `Subject: ${o.subject}`,
    `Date: ${new Date().toUTCString()}`,
    ...(o.messageId === null ? [] : [`Message-ID: <${o.messageId ?? `${uniq()}@customer.test`}>`]),
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    ...(o.references?.length ? [`References: ${o.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...(o.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.text,
    '',
  ];
  return lines.join('\r\n');
}

function emailConfig(dovecot: Dovecot, smtp: SmtpPeer, overrides: { imap?: Record<string, unknown>; smtp?: Record<string, unknown>; importSince?: string } = {}) {
  return {
    imap: { host: dovecot.host, port: dovecot.imapPort, secure: false, user: SUPPORT.user, password: SUPPORT.password, ...overrides.imap },
    smtp: { host: smtp.host, port: smtp.port, secure: false, ...overrides.smtp },
    fromAddress: SUPPORT.user,
    fromName: 'Shop Support',
    ...(overrides.importSince ? { importSince: overrides.importSince } : {}),
  };
}

async function createEmailChannel(http: HttpClient, config: Record<string, unknown>): Promise<string> {
  const res = await http.post('/api/channels', { type: 'email', name: 'Support mailbox', config });
  if (res.status !== 201) throw new Error(`email channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

describe('Email channel', () => {
  let dovecot: Dovecot;
  let smtp: SmtpPeer;
  let t: TestServer;
  let channelId: string;

  const sql = (query: string, params: unknown[] = []) => t.db.database.dataSource.query(query, params);
  const ticketOf = async (messageId: string) =>
    (await sql(`SELECT ticket_id FROM messages WHERE channel_id = $1 AND external_message_id = $2`, [channelId, messageId]))[0]?.ticket_id as string | undefined;
  const landed = (messageId: string, timeoutMs = 10_000) => eventually(() => ticketOf(messageId), timeoutMs, `mail ${messageId} to be stored`);
  const messagesOf = async (ticketId: string) => (await t.http.get(`/api/tickets/${ticketId}/messages?limit=200`)).body.items as any[];
  const channelMessages = async () => Number((await sql('SELECT count(*) FROM messages WHERE channel_id = $1', [channelId]))[0].count);
  const deliver = (raw: string | Buffer) => dovecot.deliver(SUPPORT.user, raw);

  async function reply(ticketId: string, text: string): Promise<string> {
    const res = await t.http.post(`/api/tickets/${ticketId}/replies`, { text });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function settled(ticketId: string, messageId: string, timeoutMs = 15_000) {
    return eventually(
      async () => {
        const m = (await messagesOf(ticketId)).find((x) => x.id === messageId);
        return m && ['sent', 'failed'].includes(m.deliveryStatus) ? m : undefined;
      },
      timeoutMs,
      'the reply to be sent or failed',
    );
  }

  beforeAll(async () => {
    [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpPeer()]);
    await dovecot.addUser(SUPPORT.user, SUPPORT.password);
    t = await startTestServer(ENV);
    channelId = await createEmailChannel(t.http, emailConfig(dovecot, smtp));
    await eventually(async () => ((await t.http.get(`/api/channels/${channelId}`)).body.health.connection?.state === 'connected' ? true : undefined), 15_000, 'the mailbox to connect');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([dovecot?.stop(), smtp?.close()]);
  });

  describe('configuration', () => {
    it('checks the IMAP login, the mailbox and the SMTP server before saving, in words', async () => {
      const bad = await t.http.post('/api/channels', { type: 'email', name: 'x', config: emailConfig(dovecot, smtp, { imap: { password: 'wrong' } }) });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('CREDENTIALS_REJECTED');
      expect(bad.body.message).toMatch(/IMAP: .*refused the user name or password/);
      expect(JSON.stringify(bad.body)).not.toContain('wrong');

      const noBox = await t.http.post('/api/channels', { type: 'email', name: 'x', config: emailConfig(dovecot, smtp, { imap: { mailbox: 'Nope' } }) });
      expect(noBox.status).toBe(422);
      expect(noBox.body.message).toMatch(/mailbox "Nope" does not exist/);

      const noSmtp = await t.http.post('/api/channels', { type: 'email', name: 'x', config: emailConfig(dovecot, smtp, { smtp: { port: 1 } }) });
      expect(noSmtp.status).toBe(422);
      expect(noSmtp.body.message).toMatch(/^SMTP 127\.0\.0\.1:1/);

      const invalid = await t.http.post('/api/channels', { type: 'email', name: 'x', config: { ...emailConfig(dovecot, smtp), fromAddress: 'nope' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.message).toMatch(/fromAddress/);
    });

    it('keeps the passwords write-only and shows the connection in the channel health', async () => {
      const res = await t.http.get(`/api/channels/${channelId}`);
      expect(res.body.config.imap.password).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain(SUPPORT.password);
      expect(res.body.health.connection).toEqual({ state: 'connected', since: expect.any(String) });
      const stored = await sql('SELECT config::text, secrets FROM channels WHERE id = $1', [channelId]);
      expect(stored[0].config).not.toContain(SUPPORT.password);
      expect(stored[0].secrets).not.toContain(SUPPORT.password);
    });
  });

  describe('round trip', () => {
    it('a mail becomes a ticket; the reply reaches SMTP with threading headers; the answer joins the ticket', async () => {
      const agent = await AgentClient.connect(t.url, t.adminToken);
      const customer = `ana.${uniq()}@customer.test`;
      const first = `${uniq()}@customer.test`;
      const deliveredAt = Date.now();
      await deliver(mail({ from: customer, name: 'Ana Silva', subject: 'Order 1001 has not arrived', text: 'Hello, where is my order?', messageId: first }));
      const ticketId = await landed(first);
      await agent.waitFor('message.created', (p) => p.message?.ticketId === ticketId || p.ticketId === ticketId, 5_000);
      const latencyMs = Date.now() - deliveredAt;
      agent.close();
      expect(latencyMs).toBeLessThan(5_000);

      const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
      expect(ticket.subject).toBe('Order 1001 has not arrived');
      const customerDto = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
      expect(customerDto).toMatchObject({ name: 'Ana Silva', email: customer });
      expect(customerDto.identities).toEqual(expect.arrayContaining([{ channelType: 'email', externalId: customer }]));

      const replyId = await reply(ticketId, 'It ships tomorrow.');
      const sent = await smtp.waitForMessage((m) => m.envelope.to.includes(customer));
      const outbound = await settled(ticketId, replyId);
      expect(outbound.deliveryStatus).toBe('sent');
      const headers = sent.parsed;
      expect(headers.messageId).toMatch(new RegExp(`^<pasokh\\.${ticketId}\\.${replyId}@shop\\.test>$`));
      expect(headers.inReplyTo).toBe(`<${first}>`);
      expect([headers.references].flat()).toEqual([`<${first}>`]);
      expect(headers.subject).toBe(`Re: Order 1001 has not arrived [#${ticket.number}]`);
      expect(headers.from?.value[0]).toEqual({ name: expect.stringContaining('Shop Support'), address: SUPPORT.user });
      expect(headers.replyTo?.value[0].address).toBe(SUPPORT.user);
      expect(headers.text?.trim()).toBe('It ships tomorrow.');

      // The customer's client answers the reply: In-Reply-To names our Message-ID.
      const ours = headers.messageId!.slice(1, -1);
      const answer = `${uniq()}@customer.test`;
      await deliver(mail({ from: customer, subject: `Re: ${headers.subject}`, text: 'Thanks!\r\n\r\n> It ships tomorrow.', messageId: answer, inReplyTo: ours, references: [first, ours] }));
      expect(await landed(answer)).toBe(ticketId);
    });

    it('asks for a rating by a mail marked Auto-Submitted (agents\' replies are not); an answer of "5" is the rating', async () => {
      expect((await t.http.patch(`/api/channels/${channelId}`, { csat: true })).status).toBe(200);
      try {
        const customer = `rate.${uniq()}@customer.test`;
        const first = `${uniq()}@customer.test`;
        await deliver(mail({ from: customer, subject: 'Refund', text: 'Where is my refund?', messageId: first }));
        const ticketId = await landed(first);
        const replyId = await reply(ticketId, 'Refunded today.');
        const replyMail = await smtp.waitForMessage((m) => m.envelope.to.includes(customer) && m.parsed.text?.includes('Refunded today.') === true);
        expect(replyMail.parsed.headers.get('auto-submitted')).toBeUndefined();
        await settled(ticketId, replyId);
        expect((await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' })).status).toBe(200);
        const survey = await smtp.waitForMessage((m) => m.envelope.to.includes(customer) && m.parsed.text?.includes('How would you rate our help?') === true);
        expect(survey.parsed.headers.get('auto-submitted')).toBe('auto-replied');

        const answer = `${uniq()}@customer.test`;
        const ours = survey.parsed.messageId!.slice(1, -1);
        await deliver(mail({ from: customer, subject: `Re: ${survey.parsed.subject}`, text: '5\r\n\r\n> How would you rate our help?', messageId: answer, inReplyTo: ours, references: [first, ours] }));
        expect(await landed(answer)).toBe(ticketId);
        expect((await sql('SELECT score FROM csat_surveys WHERE ticket_id = $1', [ticketId]))[0].score).toBe(5);
        expect((await t.http.get(`/api/tickets/${ticketId}`)).body.status).toBe('resolved');
      } finally {
        await t.http.patch(`/api/channels/${channelId}`, { csat: false });
      }
    });

    it('files the sent reply in the Sent folder when configured', async () => {
      await dovecot.append(SUPPORT.user, SUPPORT.password, 'Sent', mail({ from: SUPPORT.user, subject: 'seed', text: 'seed' }));
      const before = await dovecot.messageCount(SUPPORT.user, SUPPORT.password, 'Sent');
      const res = await t.http.patch(`/api/channels/${channelId}`, { config: { ...emailConfig(dovecot, smtp), imap: { ...emailConfig(dovecot, smtp).imap, sentMailbox: 'Sent' } } });
      expect(res.status).toBe(200);
      const customer = `sent.${uniq()}@customer.test`;
      const id = `${uniq()}@customer.test`;
      await deliver(mail({ from: customer, subject: 'Sent folder', text: 'hi', messageId: id }));
      const ticketId = await landed(id, 15_000);
      const replyId = await reply(ticketId, 'Filed too.');
      expect((await settled(ticketId, replyId)).deliveryStatus).toBe('sent');
      await eventually(async () => ((await dovecot.messageCount(SUPPORT.user, SUPPORT.password, 'Sent')) === before + 1 ? true : undefined), 10_000, 'the reply in Sent');
    });

    it('retries a temporary SMTP refusal, and shows a permanent one as failed with the reason', async () => {
      const customer = `retry.${uniq()}@customer.test`;
      const id = `${uniq()}@customer.test`;
      await deliver(mail({ from: customer, subject: 'Retry', text: 'hi', messageId: id }));
      const ticketId = await landed(id, 15_000);

      smtp.failNext(2, 451, 'greylisted, try again later');
      const retried = await reply(ticketId, 'Third time lucky.');
      expect((await settled(ticketId, retried)).deliveryStatus).toBe('sent');
      expect(smtp.messages.filter((m) => m.parsed.text?.includes('Third time lucky.')).length).toBe(1);

      smtp.failNext(1, 550, 'mailbox unavailable');
      const refused = await reply(ticketId, 'This one bounces at once.');
      const failed = await settled(ticketId, refused);
      expect(failed.deliveryStatus).toBe('failed');
      expect(failed.error).toMatch(/550.*mailbox unavailable/);
    });
  });

  describe('real-world mail', () => {
    /** Opens a conversation for `from` and sends our reply, so a fixture can answer it. */
    async function conversationWithReply(from: string): Promise<{ ticketId: string; first: string; ours: string }> {
      const first = `${uniq()}@customer.test`;
      await deliver(mail({ from, subject: 'My invoice', text: 'Where is my invoice?', messageId: first }));
      const ticketId = await landed(first, 15_000);
      const replyId = await reply(ticketId, 'Attached soon.');
      await settled(ticketId, replyId);
      const sent = smtp.messages.find((m) => m.parsed.messageId?.includes(replyId))!;
      return { ticketId, first, ours: sent.parsed.messageId!.slice(1, -1) };
    }

    it.each(['gmail-reply', 'outlook-reply', 'apple-mail-reply'])('%s joins its ticket, with the quoted history collapsed', async (fixture) => {
      const from = `${fixture}.${uniq()}@customer.test`;
      const { ticketId, first, ours } = await conversationWithReply(from);
      const id = `${uniq()}@mail.customer.test`;
      await deliver(loadEml(fixture, { FROM: from, TO: SUPPORT.user, MESSAGE_ID: id, IN_REPLY_TO: ours, REFERENCES: `<${first}> <${ours}>` }));
      expect(await landed(id)).toBe(ticketId);
      const stored = (await messagesOf(ticketId)).at(-1);
      expect(stored.text.length).toBeGreaterThan(0);
      expect(stored.text).not.toMatch(/Attached soon\./);
      expect(stored.html).toContain('<details');
    });

    it('decodes a Persian mail in windows-1256 with an RFC 2047 subject', async () => {
      const id = `${uniq()}@customer.test`;
      await deliver(loadEml('persian-windows-1256', { FROM: `reza.${uniq()}@customer.test`, TO: SUPPORT.user, MESSAGE_ID: id }));
      const ticketId = await landed(id);
      const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
      expect(ticket.subject).toMatch(/[\u0600-\u06FF]/);
      const [message] = await messagesOf(ticketId);
      expect(message.text).toMatch(/[\u0600-\u06FF]{3,}/);
      expect(message.text).not.toMatch(/[\u00C0-\u00FF]{3,}/); // not mis-decoded as Latin-1
    });

    it('stores attachments and inline images with their content ids', async () => {
      const id = `${uniq()}@customer.test`;
      await deliver(loadEml('multipart-attachments', { FROM: `files.${uniq()}@customer.test`, TO: SUPPORT.user, MESSAGE_ID: id }));
      const ticketId = await landed(id);
      const [message] = await messagesOf(ticketId);
      expect(message.attachments.length).toBeGreaterThanOrEqual(2);
      const inline = message.attachments.find((a: any) => a.contentId);
      expect(inline).toBeDefined();
      expect(message.html).toContain(`cid:${inline.contentId}`);
      const download = await fetch(t.url + inline.url, { headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(download.status).toBe(200);
      expect((await download.arrayBuffer()).byteLength).toBe(inline.size);
    });

    it('drops auto-replies and bulk mail without a ticket', async () => {
      const ooo = `${uniq()}@customer.test`;
      const bulk = `${uniq()}@news.test`;
      const marker = `${uniq()}@customer.test`;
      await deliver(loadEml('out-of-office', { FROM: `away.${uniq()}@customer.test`, TO: SUPPORT.user, MESSAGE_ID: ooo }));
      await deliver(loadEml('bulk-newsletter', { TO: SUPPORT.user, MESSAGE_ID: bulk }));
      await deliver(mail({ from: `after.${uniq()}@customer.test`, subject: 'after', text: 'after', messageId: marker }));
      await landed(marker); // later mail is stored, so the two before it were looked at
      expect(await ticketOf(ooo)).toBeUndefined();
      expect(await ticketOf(bulk)).toBeUndefined();
    });

    it('a bounce marks our reply failed with the reason and opens no ticket', async () => {
      const from = `gone.${uniq()}@customer.test`;
      const { ticketId, ours } = await conversationWithReply(from);
      const tickets = Number((await sql('SELECT count(*) FROM tickets'))[0].count);
      const dsnId = `${uniq()}@mx.shop.test`;
      await deliver(loadEml('dsn-bounce', { TO: SUPPORT.user, MESSAGE_ID: dsnId, ORIGINAL_MESSAGE_ID: ours, FROM: 'MAILER-DAEMON@mx.shop.test' }));
      const failed = await eventually(async () => {
        const m = (await messagesOf(ticketId)).find((x) => x.direction === 'outbound' && x.deliveryStatus === 'failed');
        return m;
      }, 10_000, 'the reply to be marked failed');
      expect(failed.error).toMatch(/failed/i);
      expect(Number((await sql('SELECT count(*) FROM tickets'))[0].count)).toBe(tickets);
    });

    it('a mail without a Message-ID is stored once, even when delivered twice', async () => {
      const from = `nomid.${uniq()}@customer.test`;
      const raw = loadEml('no-message-id', { FROM: from, TO: SUPPORT.user });
      const before = await channelMessages();
      await deliver(raw);
      await deliver(raw);
      const marker = `${uniq()}@customer.test`;
      await deliver(mail({ from, subject: 'marker', text: 'marker', messageId: marker }));
      await landed(marker);
      expect(await channelMessages()).toBe(before + 2);
    });

    it('quarantines a malformed mail with its reason and raw source, and the mailbox goes on', async () => {
      await deliver(loadEml('malformed', { TO: SUPPORT.user }));
      const marker = `${uniq()}@customer.test`;
      await deliver(mail({ from: `next.${uniq()}@customer.test`, subject: 'next', text: 'next', messageId: marker }));
      await landed(marker);
      const list = await t.http.get(`/api/channels/${channelId}/quarantine`);
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThanOrEqual(1);
      const entry = list.body.items[0];
      expect(entry.reason).toMatch(/could not be read/);
      expect(entry.sourceRef).toMatch(/^INBOX uidvalidity \d+ uid \d+$/);
      const raw = await fetch(t.url + entry.rawUrl, { headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toMatch(/message\/rfc822/);
      expect(Buffer.from(await raw.arrayBuffer()).length).toBe(entry.size);
    });
  });

  describe('threading holds', () => {
    it('replies from two people to one mass mail stay separate tickets', async () => {
      const a = `${uniq()}@a.test`;
      const b = `${uniq()}@b.test`;
      await deliver(loadEml('mass-mail-reply-a', { TO: SUPPORT.user, MESSAGE_ID: a }));
      await deliver(loadEml('mass-mail-reply-b', { TO: SUPPORT.user, MESSAGE_ID: b }));
      const [ta, tb] = [await landed(a), await landed(b)];
      expect(ta).not.toBe(tb);
    });

    it('another sender citing a ticket’s Message-IDs or its [#number] gets a ticket of their own', async () => {
      const owner = `owner.${uniq()}@customer.test`;
      const first = `${uniq()}@customer.test`;
      await deliver(mail({ from: owner, subject: 'Broken zipper', text: 'The zipper broke.', messageId: first }));
      const ticketId = await landed(first);
      const number = (await t.http.get(`/api/tickets/${ticketId}`)).body.number;

      const stranger = `${uniq()}@customer.test`;
      await deliver(mail({ from: `stranger.${uniq()}@other.test`, subject: `Re: Broken zipper [#${number}]`, text: 'me too', messageId: stranger, inReplyTo: first, references: [first] }));
      expect(await landed(stranger)).not.toBe(ticketId);

      // The owner, with every header lost but the subject tag, still lands in the ticket.
      const tagged = `${uniq()}@customer.test`;
      await deliver(mail({ from: owner, subject: `Re: Broken zipper [#${number}]`, text: 'any news?', messageId: tagged }));
      expect(await landed(tagged)).toBe(ticketId);
    });

    it('a reply fetched before the mail it answers still meets it in one ticket', async () => {
      const from = `early.${uniq()}@customer.test`;
      const first = `${uniq()}@customer.test`;
      const second = `${uniq()}@customer.test`;
      // A slow relay: the customer's follow-up reaches the mailbox before their first mail.
      await deliver(mail({ from, subject: 'Re: Refund', text: 'Any news on my refund?', messageId: second, inReplyTo: first, references: [first] }));
      const ticketId = await landed(second);
      await deliver(mail({ from, subject: 'Refund', text: 'I would like a refund.', messageId: first }));
      expect(await landed(first)).toBe(ticketId);
      // And the next reply in the thread joins them.
      const third = `${uniq()}@customer.test`;
      await deliver(mail({ from, subject: 'Re: Refund', text: 'Hello?', messageId: third, inReplyTo: second, references: [first, second] }));
      expect(await landed(third)).toBe(ticketId);
    });

    it('a forwarded message starts a new ticket', async () => {
      const from = `fwd.${uniq()}@customer.test`;
      const first = `${uniq()}@customer.test`;
      await deliver(mail({ from, subject: 'Original matter', text: 'first', messageId: first }));
      const ticketId = await landed(first);
      const fwd = `${uniq()}@customer.test`;
      await deliver(loadEml('forwarded', { FROM: from, TO: SUPPORT.user, MESSAGE_ID: fwd, REFERENCES: `<${first}>`, IN_REPLY_TO: first }));
      expect(await landed(fwd)).not.toBe(ticketId);
    });
  });

  describe('nothing lost', () => {
    it('500 mails that arrive while the server is down are imported exactly once; a UIDVALIDITY change resyncs without duplicates', async () => {
      await t.server.close();
      const start = await channelMessages();
      const from = `backlog.${uniq()}@customer.test`;
      const ids = Array.from({ length: 500 }, () => `${uniq()}@customer.test`);
      for (let i = 0; i < ids.length; i += 10) {
        await Promise.all(ids.slice(i, i + 10).map((id, k) => deliver(mail({ from, subject: `Backlog ${i + k}`, text: `mail ${i + k}`, messageId: id }))));
      }
      const peer = await startPeerServer(t, ENV);
      t = { ...t, server: peer.server, url: peer.url, http: peer.http, adminToken: peer.adminToken, close: async () => { await peer.close(); await t.db.drop().catch(() => undefined); } };
      await eventually(async () => ((await channelMessages()) >= start + ids.length ? true : undefined), 60_000, 'the backlog to be imported');
      const count = await channelMessages();
      expect(count).toBe(start + ids.length);
      const stored = await sql('SELECT count(DISTINCT external_message_id)::int AS n FROM messages WHERE channel_id = $1 AND external_message_id = ANY($2)', [channelId, ids]);
      expect(stored[0].n).toBe(ids.length);

      const { before, after } = await dovecot.recreateMailbox(SUPPORT.user, SUPPORT.password);
      expect(after).not.toBe(before);
      const marker = `${uniq()}@customer.test`;
      await eventually(async () => ((await t.http.get(`/api/channels/${channelId}`)).body.health.cursor.imap?.uidValidity === String(after) ? true : undefined), 30_000, 'the resync');
      await deliver(mail({ from, subject: 'after resync', text: 'after', messageId: marker }));
      await landed(marker, 15_000);
      expect(await channelMessages()).toBe(count + 1);
    }, 150_000);

    it('reconnects when the IMAP server goes away and comes back, and reports it in the health', async () => {
      await dovecot.stopServer();
      await eventually(async () => ((await t.http.get(`/api/channels/${channelId}`)).body.health.connection?.state === 'disconnected' ? true : undefined), 15_000, 'disconnected');
      const health = (await t.http.get(`/api/channels/${channelId}`)).body.health;
      expect(health.lastError).toMatch(/mailbox sync failed/);
      await dovecot.startServer();
      const id = `${uniq()}@customer.test`;
      await deliver(mail({ from: `back.${uniq()}@customer.test`, subject: 'back', text: 'back', messageId: id }));
      await landed(id, 30_000);
      expect((await t.http.get(`/api/channels/${channelId}`)).body.health.connection.state).toBe('connected');

      // A quick restart while the sync sits in IDLE: mail delivered right after is still picked up.
      await new Promise((r) => setTimeout(r, 1_500));
      await dovecot.restart();
      const again = `${uniq()}@customer.test`;
      await deliver(mail({ from: `again.${uniq()}@customer.test`, subject: 'again', text: 'again', messageId: again }));
      await landed(again, 30_000);
    }, 60_000);
  });
});

// Several instances share a PostgreSQL server: the lease makes exactly one of them hold the mailbox.
const withServerDb = process.env.DATABASE_URL ? describe : describe.skip;
withServerDb('Email channel with two instances', () => {
  it('exactly one instance holds the mailbox, and the other takes over when it dies', async () => {
    const dovecot = await startDovecot();
    const smtp = await startSmtpPeer();
    const user = `two.${randomUUID().slice(0, 8)}@shop.test`;
    await dovecot.addUser(user, SUPPORT.password);
    const a = await startTestServer(ENV);
    let b: TestServer | undefined;
    try {
      const id = await createEmailChannel(a.http, { ...emailConfig(dovecot, smtp, { imap: { user } }), fromAddress: user });
      const sql = (q: string, p: unknown[] = []) => a.db.database.dataSource.query(q, p);
      // The session-level advisory lock of the lease, as pg_locks shows a bigint key: low 32 bits in objid.
      const holders = async () =>
        Number((await sql(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = (hashtextextended($1, 0) & 4294967295)::oid`, [`email:${id}`]))[0].count);
      await eventually(async () => ((await holders()) === 1 ? true : undefined), 15_000, 'instance A to hold the mailbox');
      // B starts second: it finds the channel, cannot take the lease, and keeps asking.
      b = await startPeerServer(a, ENV);
      const count = async (mid: string) => Number((await sql('SELECT count(*) FROM messages WHERE external_message_id = $1', [mid]))[0].count);
      const first = `${uniq()}@customer.test`;
      await dovecot.deliver(user, mail({ from: `x.${uniq()}@customer.test`, subject: 'one', text: 'one', messageId: first }));
      await eventually(async () => ((await count(first)) === 1 ? true : undefined), 10_000, 'stored');
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await holders()).toBe(1);
      expect(await count(first)).toBe(1);

      // A goes away; B takes the mailbox over within its lease retry.
      await a.server.close();
      const second = `${uniq()}@customer.test`;
      await dovecot.deliver(user, mail({ from: `x.${uniq()}@customer.test`, subject: 'two', text: 'two', messageId: second }));
      await eventually(async () => ((await count(second)) === 1 ? true : undefined), 20_000, 'B to take over');
    } finally {
      await b?.server.close().catch(() => undefined);
      await a.close().catch(() => undefined);
      await Promise.all([dovecot.stop(), smtp.close()]);
    }
  }, 90_000);
});
