import { AgentClient, createApiChannel, eventually, startTestServer, TestServer } from '../support/test-server';
import { Visitor } from '../support/visitor-client';

describe('web chat channel (/webchat + /widget.js)', () => {
  let t: TestServer;
  let channelId: string;
  const open: Array<{ close(): void }> = [];
  const visitor = async (auth: Record<string, unknown> = {}, headers?: Record<string, string>) => {
    const v = await Visitor.connect(t.url, { channelId, ...auth }, headers);
    open.push(v);
    return v;
  };

  beforeAll(async () => {
    t = await startTestServer();
    const res = await t.http.post('/api/channels', { type: 'webchat', name: 'Shop site', config: { title: 'پشتیبانی فروشگاه', greeting: 'سلام! چطور کمک کنیم؟' } });
    expect(res.status).toBe(201);
    channelId = res.body.id;
  });
  afterEach(() => open.splice(0).forEach((c) => c.close()));
  afterAll(() => t.close());

  it('validates the channel config', async () => {
    const bad = await t.http.post('/api/channels', { type: 'webchat', name: 'x', config: { allowedOrigins: ['shop.example/path'] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(bad.body.message).toContain('allowedOrigins');
    const unknown = await t.http.post('/api/channels', { type: 'webchat', name: 'x', config: { colour: 'red' } });
    expect(unknown.body.message).toContain('colour');
  });

  it('refuses an unknown channel, a channel of another type, a forged visitor token and a site not allowed, each with a code', async () => {
    await expect(Visitor.connect(t.url, { channelId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ data: { code: 'CHANNEL_NOT_FOUND' } });
    await expect(Visitor.connect(t.url, {})).rejects.toMatchObject({ data: { code: 'CHANNEL_NOT_FOUND' } });
    const api = await createApiChannel(t.http);
    await expect(Visitor.connect(t.url, { channelId: api.id })).rejects.toMatchObject({ data: { code: 'CHANNEL_NOT_FOUND' } });
    const genuine = await visitor();
    const [id] = genuine.session!.visitorToken.split('.');
    await expect(Visitor.connect(t.url, { channelId, visitorToken: `${id}.forged` })).rejects.toMatchObject({ data: { code: 'INVALID_VISITOR_TOKEN' } });
    // A token is bound to its channel.
    const other = (await t.http.post('/api/channels', { type: 'webchat', name: 'Other site', config: {} })).body.id;
    await expect(Visitor.connect(t.url, { channelId: other, visitorToken: genuine.session!.visitorToken })).rejects.toMatchObject({ data: { code: 'INVALID_VISITOR_TOKEN' } });

    const locked = (await t.http.post('/api/channels', { type: 'webchat', name: 'Locked', config: { allowedOrigins: ['https://shop.example'] } })).body.id;
    await expect(Visitor.connect(t.url, { channelId: locked }, { origin: 'https://evil.example' })).rejects.toMatchObject({ data: { code: 'ORIGIN_NOT_ALLOWED' } });
    const allowed = await Visitor.connect(t.url, { channelId: locked }, { origin: 'https://shop.example' });
    open.push(allowed);
    expect(allowed.session!.visitorId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("stores a visitor's message in a ticket and pushes it to agents; a resend is stored once", async () => {
    const agent = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    open.push(agent);
    const v = await visitor({ name: 'Sara' });
    expect(v.session).toMatchObject({ title: 'پشتیبانی فروشگاه', greeting: 'سلام! چطور کمک کنیم؟' });

    const sent = await v.say('سفارشم كجاست؟', 'm-1');
    expect(sent).toMatchObject({ ok: true, message: { direction: 'inbound', text: 'سفارشم كجاست؟', agentName: null } });
    const pushed = await agent.waitFor('message.created', (m) => m.id === sent.message.id);
    expect(pushed).toMatchObject({ direction: 'inbound', kind: 'message', authorType: 'customer' });
    const ticket = (await t.http.get(`/api/tickets/${pushed.ticketId}`)).body;
    expect(ticket).toMatchObject({ channel: { id: channelId, type: 'webchat' }, customer: { name: 'Sara' }, status: 'open' });
    const customer = (await t.http.get(`/api/customers/${ticket.customer.id}`)).body;
    expect(customer.identities).toEqual([{ channelType: 'webchat', externalId: v.session!.visitorId }]);

    // The widget resends after a dropped acknowledgement: same clientMessageId, same message.
    const again = await v.say('سفارشم كجاست؟', 'm-1');
    expect(again).toMatchObject({ ok: true, message: { id: sent.message.id } });
    const messages = (await t.http.get(`/api/tickets/${ticket.id}/messages`)).body.items;
    expect(messages.filter((m: any) => m.kind === 'message')).toHaveLength(1);

    // A second message joins the same ticket.
    const second = await v.say('شماره سفارش ۱۲۳', 'm-2');
    expect((await agent.waitFor('message.created', (m) => m.id === second.message.id)).ticketId).toBe(ticket.id);
  });

  it("sends an agent's reply to every tab of the visitor and marks it sent; notes never reach them; history has the conversation", async () => {
    const first = await visitor();
    const token = first.session!.visitorToken;
    const secondTab = await visitor({ visitorToken: token });
    expect(secondTab.session!.visitorId).toBe(first.session!.visitorId);

    const question = await first.say('Do you ship to Shiraz?', 'q-1');
    // The other tab sees what this one sent.
    await eventually(async () => secondTab.messages.find((m) => m.id === question.message.id), 5_000, 'own message on the other tab');
    const ticket = await eventually(async () => {
      const list = (await t.http.get(`/api/tickets?channelType=webchat&limit=200`)).body.items as any[];
      for (const item of list) {
        const msgs = (await t.http.get(`/api/tickets/${item.id}/messages`)).body.items as any[];
        if (msgs.some((m) => m.id === question.message.id)) return item;
      }
      return undefined;
    });

    await t.http.post(`/api/tickets/${ticket.id}/notes`, { text: 'internal: check stock' });
    const reply = (await t.http.post(`/api/tickets/${ticket.id}/replies`, { text: 'Yes, in two days.' })).body;
    for (const tab of [first, secondTab]) {
      const got = await eventually(async () => tab.messages.find((m) => m.id === reply.id), 5_000, 'reply on the widget');
      expect(got).toMatchObject({ direction: 'outbound', text: 'Yes, in two days.', agentName: expect.any(String) });
    }
    await eventually(async () => {
      const msgs = (await t.http.get(`/api/tickets/${ticket.id}/messages`)).body.items as any[];
      return msgs.find((m) => m.id === reply.id && m.deliveryStatus === 'sent');
    }, 5_000, 'reply marked sent');
    expect([...first.messages, ...secondTab.messages].some((m) => m.text.includes('internal'))).toBe(false);

    // A returning visitor (the same token, later) reads the conversation: no notes, oldest first.
    first.close();
    secondTab.close();
    const later = await visitor({ visitorToken: token });
    const history = await later.history();
    expect(history.ok).toBe(true);
    expect(history.messages.map((m: any) => [m.direction, m.text])).toEqual([
      ['inbound', 'Do you ship to Shiraz?'],
      ['outbound', 'Yes, in two days.'],
    ]);
  });

  it("moves a reply to delivered and read when the visitor's widget reports it; only the visitor's own replies", async () => {
    const agent = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    open.push(agent);
    const v = await visitor();
    const sent = await v.say('Is anyone there?', 'seen-1');
    const { ticketId } = await agent.waitFor('message.created', (m) => m.id === sent.message.id);
    const reply = (await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'Yes, here.' })).body;
    await eventually(async () => v.messages.find((m) => m.id === reply.id), 5_000, 'reply on the widget');
    const statusOf = async () => ((await t.http.get(`/api/tickets/${ticketId}/messages`)).body.items as any[]).find((m) => m.id === reply.id).deliveryStatus;

    // Another visitor cannot move it.
    const stranger = await visitor();
    expect(await stranger.socket.timeout(5_000).emitWithAck('message.seen', { ids: [reply.id], status: 'read' })).toEqual({ ok: true });
    await eventually(async () => ((await statusOf()) === 'sent' ? true : undefined), 5_000, 'reply sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf()).toBe('sent');

    expect(await v.socket.timeout(5_000).emitWithAck('message.seen', { ids: [reply.id], status: 'delivered' })).toEqual({ ok: true });
    await agent.waitFor('message.updated', (m) => m.id === reply.id && m.deliveryStatus === 'delivered');
    await v.socket.timeout(5_000).emitWithAck('message.seen', { ids: [reply.id], status: 'read' });
    await agent.waitFor('message.updated', (m) => m.id === reply.id && m.deliveryStatus === 'read');
    // Never backwards.
    await v.socket.timeout(5_000).emitWithAck('message.seen', { ids: [reply.id], status: 'delivered' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf()).toBe('read');

    expect(await v.socket.timeout(5_000).emitWithAck('message.seen', { ids: [reply.id], status: 'opened' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await v.socket.timeout(5_000).emitWithAck('message.seen', { ids: ['nope'], status: 'read' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it("shows the visitor's typing to the agents viewing the ticket, and an agent's reply typing to the visitor", async () => {
    const agent = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    open.push(agent);
    const v = await visitor({ name: 'Mina' });
    // Before a first message there is no ticket: nothing to show, still acknowledged.
    expect(await v.socket.timeout(5_000).emitWithAck('typing', { isTyping: true })).toEqual({ ok: true });
    const sent = await v.say('Hello?', 'typing-1');
    const { ticketId } = await agent.waitFor('message.created', (m) => m.id === sent.message.id);
    expect(await agent.emit('ticket.view', { ticketId })).toMatchObject({ ok: true });

    await v.socket.timeout(5_000).emitWithAck('typing', { isTyping: true });
    expect(await agent.waitFor('typing', (e) => e.ticketId === ticketId && e.isTyping)).toMatchObject({ agentId: null, name: 'Mina', customerId: expect.any(String) });
    await v.socket.timeout(5_000).emitWithAck('typing', { isTyping: false });
    await agent.waitFor('typing', (e) => e.ticketId === ticketId && e.isTyping === false);
    expect(await v.socket.timeout(5_000).emitWithAck('typing', { isTyping: 'yes' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    expect(await agent.emit('typing', { ticketId, isTyping: true })).toEqual({ ok: true });
    expect(await eventually(async () => v.typing.find((e) => e.isTyping), 5_000, 'typing on the widget')).toEqual({ agentName: 'Administrator', isTyping: true });
    await agent.emit('typing', { ticketId, isTyping: false });
    await eventually(async () => v.typing.find((e) => e.isTyping === false), 5_000, 'typing stopped on the widget');
    // Typing on a ticket of another channel reaches no visitor.
    const api = await createApiChannel(t.http);
    const other = (await t.http.as(undefined).post(`/api/channels/${api.id}/inbound`, { externalMessageId: 'x-typing', from: { externalId: 'x' }, text: 'x' }, { 'x-channel-token': api.inboundToken })).body;
    const before = v.typing.length;
    await agent.emit('ticket.view', { ticketId: other.ticketId });
    await agent.emit('typing', { ticketId: other.ticketId, isTyping: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(v.typing.length).toBe(before);
  });

  it("takes a visitor's file by an upload on the site's origin: one message, once, with CORS for allowed sites only", async () => {
    const agent = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    open.push(agent);
    const v = await visitor();
    expect(v.session).toMatchObject({ maxFileBytes: 25 * 1024 * 1024 });
    const upload = (channel: string, token: string | null, clientMessageId: string, content = Buffer.from('%PDF-1.4 receipt'), headers: Record<string, string> = {}) => {
      const form = new FormData();
      form.append('file', new Blob([content], { type: 'application/pdf' }), 'رسید.pdf');
      return fetch(`${t.url}/webchat/${channel}/files`, {
        method: 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-client-message-id': clientMessageId, ...headers },
        body: form,
      });
    };
    const res = await upload(channelId, v.session!.visitorToken, 'file-1');
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ ok: true, message: { direction: 'inbound', text: '', attachments: [{ filename: 'رسید.pdf' }] } });
    const pushed = await agent.waitFor('message.created', (m) => m.id === body.message.id);
    expect(pushed.attachments).toMatchObject([{ filename: 'رسید.pdf', contentType: 'application/pdf', size: 16 }]);
    // The widget's own tab gets it too (other tabs show it; this one dedupes by id).
    await eventually(async () => v.messages.find((m) => m.id === body.message.id), 5_000, 'file message on the widget');

    const again = (await (await upload(channelId, v.session!.visitorToken, 'file-1')).json()) as any;
    expect(again.message.id).toBe(body.message.id);
    const messages = (await t.http.get(`/api/tickets/${pushed.ticketId}/messages`)).body.items as any[];
    expect(messages.filter((m) => m.attachments.length)).toHaveLength(1);

    const forged = await upload(channelId, `${v.session!.visitorId}.forged`, 'file-2');
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as any).error.code).toBe('INVALID_VISITOR_TOKEN');
    expect((await upload(channelId, null, 'file-3')).status).toBe(401);
    expect((await upload(channelId, v.session!.visitorToken, 'bad id')).status).toBe(400);

    const locked = (await t.http.post('/api/channels', { type: 'webchat', name: 'Locked files', config: { allowedOrigins: ['https://shop.example'] } })).body.id;
    const preflight = (origin: string) => fetch(`${t.url}/webchat/${locked}/files`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('https://shop.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-client-message-id');
    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const shopVisitor = await visitor({ channelId: locked }, { origin: 'https://shop.example' });
    const fromEvil = await upload(locked, shopVisitor.session!.visitorToken, 'file-4', undefined, { origin: 'https://evil.example' });
    expect(fromEvil.status).toBe(403);
  });

  it("lets a visitor download the files of their own conversation (an agent's and their own), by header token; nobody else", async () => {
    const agent = await AgentClient.connect(t.url, t.adminToken, { batch: true });
    open.push(agent);
    const v = await visitor();
    const token = v.session!.visitorToken;
    const sent = await v.say('Can I have the invoice?', 'inv-1');
    const { ticketId } = await agent.waitFor('message.created', (m) => m.id === sent.message.id);

    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 invoice 42')], { type: 'application/pdf' }), 'فاکتور ۴۲.pdf');
    const uploaded = (await (await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: form })).json()) as any;
    const reply = (await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'Here it is.', attachmentIds: [uploaded.id] })).body;
    const onWidget = await eventually(async () => v.messages.find((m) => m.id === reply.id), 5_000, 'reply with the file');
    expect(onWidget.attachments).toEqual([{ id: uploaded.id, filename: 'فاکتور ۴۲.pdf', contentType: 'application/pdf', size: 19 }]);

    const get = (id: string, bearer: string | null, headers: Record<string, string> = {}) =>
      fetch(`${t.url}/webchat/${channelId}/files/${id}`, { headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers } });
    const res = await get(uploaded.id, token, { origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF-1.4 invoice 42');
    expect(res.headers.get('content-type')).toContain('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('فاکتور ۴۲.pdf')}`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');

    // The visitor's own upload has an id in the answer, in history, and downloads too.
    const own = new FormData();
    own.append('file', new Blob([Buffer.from('PNGDATA')], { type: 'image/png' }), 'screenshot.png');
    const ownAnswer = (await (await fetch(`${t.url}/webchat/${channelId}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-client-message-id': 'shot-1' }, body: own })).json()) as any;
    const ownFile = ownAnswer.message.attachments[0];
    expect(ownFile).toEqual({ id: expect.any(String), filename: 'screenshot.png', contentType: 'image/png', size: 7 });
    expect(await (await get(ownFile.id, token)).text()).toBe('PNGDATA');
    const history = await v.history();
    expect(history.messages.flatMap((m: any) => m.attachments)).toEqual([onWidget.attachments[0], ownFile]);

    // Another visitor, a forged token, no token, a malformed id, an unknown id.
    const stranger = await visitor();
    expect((await get(uploaded.id, stranger.session!.visitorToken)).status).toBe(404);
    expect((await get(uploaded.id, `${v.session!.visitorId}.forged`)).status).toBe(401);
    expect((await get(uploaded.id, null)).status).toBe(401);
    expect((await get('not-an-id', token)).status).toBe(404);
    expect((await get('00000000-0000-4000-8000-000000000000', token)).status).toBe(404);
    // An agent's upload not (yet) sent in any reply is nobody's conversation.
    const loose = new FormData();
    loose.append('file', new Blob([Buffer.from('draft')], { type: 'text/plain' }), 'draft.txt');
    const draft = (await (await fetch(`${t.url}/api/attachments`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` }, body: loose })).json()) as any;
    expect((await get(draft.id, token)).status).toBe(404);

    const preflight = await fetch(`${t.url}/webchat/${channelId}/files/${uploaded.id}`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it("tells the visitor outside business hours when the team is back; nothing inside them", async () => {
    const allDay = [['00:00', '24:00']];
    const week = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
    const today = new Date().toISOString().slice(0, 10);
    const closedToday = (await t.http.post('/api/calendars', { name: 'Closed today', timezone: 'UTC', weekly: week, holidays: [today] })).body.id;
    const always = (await t.http.post('/api/calendars', { name: 'Always', timezone: 'UTC', weekly: week })).body.id;

    const away = (await t.http.post('/api/channels', { type: 'webchat', name: 'Away site', config: { calendarId: closedToday } })).body.id;
    const v = await visitor({ channelId: away });
    const tomorrow = new Date(`${today}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    expect(v.session).toMatchObject({ away: { opensAt: tomorrow.toISOString(), message: null } });

    const worded = (await t.http.post('/api/channels', { type: 'webchat', name: 'Worded', config: { calendarId: closedToday, awayMessage: 'Back on Saturday.' } })).body.id;
    expect((await visitor({ channelId: worded })).session).toMatchObject({ away: { message: 'Back on Saturday.' } });

    const open = (await t.http.post('/api/channels', { type: 'webchat', name: 'Open site', config: { calendarId: always } })).body.id;
    expect((await visitor({ channelId: open })).session).toMatchObject({ away: null });
    expect((await visitor()).session).toMatchObject({ away: null });

    const missing = await t.http.post('/api/channels', { type: 'webchat', name: 'Bad hours', config: { calendarId: '00000000-0000-4000-8000-000000000000' } });
    expect(missing.body).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(missing.body.message).toContain('calendarId');
  });

  it('answers malformed events with an error acknowledgement and rate-limits a loop', async () => {
    const v = await visitor();
    expect(await v.say('', 'x-1')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await v.say('hi', 'bad id with spaces')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await v.socket.timeout(5_000).emitWithAck('message.send', 'not an object')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await v.say('x'.repeat(10_001), 'x-2')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => v.history().catch(() => null)));
    expect(answers.filter((a) => a?.error?.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(v.socket.connected).toBe(true);
  });

  it('serves /widget.js and the socket.io client it loads', async () => {
    const script = await fetch(`${t.url}/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain("'/webchat'");
    const client = await fetch(`${t.url}/socket.io/socket.io.min.js`);
    expect(client.status).toBe(200);
  });
});
