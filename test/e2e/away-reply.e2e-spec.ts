import { createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

/**
 * A channel with business hours answers a new ticket that arrives outside them, once, saying when the
 * team is back, in the customer's language; inside them, or on a ticket that exists already, it says nothing.
 */
describe('away reply outside business hours', () => {
  let t: TestServer;
  let closed: string;
  let open: string;
  let n = 0;
  const allDay = [['00:00', '24:00']];
  const everyDay = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };

  const say = (channel: { id: string; inboundToken: string }, from: string, text: string) =>
    inbound(t.http, channel, { externalMessageId: `a-${++n}`, from: { externalId: from, name: from }, text });
  const systemMessages = async (ticketId: string) =>
    ((await t.http.get(`/api/tickets/${ticketId}/messages`)).body.items as any[]).filter((m) => m.authorType === 'system');
  const channelWith = async (awayReply: unknown) => {
    const channel = await createApiChannel(t.http);
    const res = await t.http.patch(`/api/channels/${channel.id}`, { awayReply });
    expect(res.status).toBe(200);
    return channel;
  };

  beforeAll(async () => {
    t = await startTestServer();
    // Today and tomorrow are holidays: closed now even if the date turns during the run.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    closed = (await t.http.post('/api/calendars', { name: 'Closed today', timezone: 'UTC', weekly: everyDay, holidays: [day(0), day(1)] })).body.id;
    open = (await t.http.post('/api/calendars', { name: 'Always open', timezone: 'UTC', weekly: everyDay })).body.id;
  });
  afterAll(() => t.close());

  it('answers a new ticket outside business hours once, in Persian for a Persian customer, with when the team is back', async () => {
    const channel = await channelWith({ calendarId: closed, message: null });
    expect((await t.http.get(`/api/channels/${channel.id}`)).body.awayReply).toEqual({ calendarId: closed, message: null });
    const { ticketId } = (await say(channel, 'sara', 'سلام، جمعه هم جواب می‌دهید؟')).body;
    const [reply] = await eventually(async () => {
      const found = await systemMessages(ticketId);
      return found.length ? found : undefined;
    }, 10_000, 'the away reply');
    // Back after the holidays at 00:00 UTC, said in Persian with the Jalali date.
    expect(reply.text).toMatch(/^سلام! اکنون خارج از ساعت کاری هستیم\. پیام شما رسید و از .+ ساعت ۰۰:۰۰ پاسخ می‌دهیم\.$/);
    expect(reply).toMatchObject({ direction: 'outbound', kind: 'message' });
    // No agent answered: the first response is still to come.
    expect((await t.http.get(`/api/tickets/${ticketId}`)).body.firstResponseAt).toBeNull();

    // The same ticket again: the customer was told.
    await say(channel, 'sara', 'منتظرم');
    await new Promise((r) => setTimeout(r, 500));
    expect(await systemMessages(ticketId)).toHaveLength(1);

    const english = (await say(channel, 'john', 'Are you open?')).body.ticketId;
    const [englishReply] = await eventually(async () => {
      const found = await systemMessages(english);
      return found.length ? found : undefined;
    }, 10_000, 'the English away reply');
    expect(englishReply.text).toMatch(/^Hello! We are out of office right now\. We have your message and will answer from \w+day \d+ \w+ at 00:00\.$/);
  });

  it("uses the channel's own text, and says nothing inside business hours", async () => {
    const custom = await channelWith({ calendarId: closed, message: 'Closed for the holiday. Back {{opensAt}}.' });
    const { ticketId } = (await say(custom, 'kian', 'hello')).body;
    const [reply] = await eventually(async () => {
      const found = await systemMessages(ticketId);
      return found.length ? found : undefined;
    }, 10_000, 'the custom away reply');
    expect(reply.text).toMatch(/^Closed for the holiday\. Back \w+day \d+ \w+ at 00:00\.$/);

    const working = await channelWith({ calendarId: open, message: null });
    const inHours = (await say(working, 'mina', 'سلام')).body.ticketId;
    await new Promise((r) => setTimeout(r, 800));
    expect(await systemMessages(inHours)).toEqual([]);
  });

  it('validates the setting: real business hours, not on a web chat; null turns it off', async () => {
    const channel = await createApiChannel(t.http);
    const unknown = await t.http.patch(`/api/channels/${channel.id}`, { awayReply: { calendarId: '00000000-0000-4000-8000-000000000000', message: null } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('awayReply.calendarId') });
    expect((await t.http.patch(`/api/channels/${channel.id}`, { awayReply: { calendarId: 'nope' } })).status).toBe(400);
    const chat = await t.http.post('/api/channels', { type: 'webchat', name: 'Site', config: {}, awayReply: { calendarId: closed, message: null } });
    expect(chat.status).toBe(400);
    expect(chat.body.message).toContain('config.calendarId');

    await t.http.patch(`/api/channels/${channel.id}`, { awayReply: { calendarId: closed, message: null } });
    expect((await t.http.patch(`/api/channels/${channel.id}`, { awayReply: null })).body.awayReply).toBeNull();
    const { ticketId } = (await say(channel, 'omid', 'hi')).body;
    await new Promise((r) => setTimeout(r, 800));
    expect(await systemMessages(ticketId)).toEqual([]);
  });
});
