import { AgentClient, ApiChannel, createApiChannel, eventually, inbound, startPeerServer, startTestServer, TestServer } from '../support/test-server';

describe('SLA clocks on tickets', () => {
  let t: TestServer;
  let channel: ApiChannel;
  const clients: AgentClient[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => t.close());

  const sql = (query: string, params: unknown[] = []) => t.db.database.dataSource.query(query, params);
  const ticket = async (id: string) => (await t.http.get(`/api/tickets/${id}`)).body;
  const secondsBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 1000;

  it('gives a new ticket the first matching policy and its due instants, in business time', async () => {
    // 24/7 calendar in Tehran: business time equals calendar time, so the instants can be checked exactly.
    const calendar = (await t.http.post('/api/calendars', { name: 'Always', timezone: 'Asia/Tehran', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) })).body;
    const vip = (await t.http.post('/api/sla/policies', { name: 'VIP', match: { tier: 'vip' }, firstResponseSec: 600, resolutionSec: 7200, calendarId: calendar.id, position: 0 })).body;
    const standard = (await t.http.post('/api/sla/policies', { name: 'Standard', firstResponseSec: 3600, nextResponseSec: 1800, resolutionSec: 86_400, warnPercent: 50, position: 1 })).body;

    const plain = (await inbound(t.http, channel, { externalMessageId: 'sla-1', from: { externalId: 'sla-plain' }, text: 'hi' })).body;
    const created = await ticket(plain.ticketId);
    expect(created.sla.policyId).toBe(standard.id);
    expect(created.sla.state).toBe('on_track');
    expect(secondsBetween(created.createdAt, created.sla.firstResponseDueAt)).toBeCloseTo(3600, 0);
    expect(secondsBetween(created.createdAt, created.sla.resolutionDueAt)).toBeCloseTo(86_400, 0);
    expect(created.sla.nextResponseDueAt).toBeNull();

    // A VIP customer's next ticket matches the first policy (evaluated in order).
    const vipCustomer = (await inbound(t.http, channel, { externalMessageId: 'sla-2', from: { externalId: 'sla-vip' }, text: 'hi' })).body;
    await t.http.patch(`/api/customers/${vipCustomer.customerId}`, { tier: 'vip' });
    await t.http.patch(`/api/tickets/${vipCustomer.ticketId}`, { status: 'closed' });
    const second = (await inbound(t.http, channel, { externalMessageId: 'sla-3', from: { externalId: 'sla-vip' }, text: 'again' })).body;
    expect((await ticket(second.ticketId)).sla.policyId).toBe(vip.id);
  });

  it('stops first response on a public reply (not a note), then runs next response from the customer\'s next message', async () => {
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'sla-4', from: { externalId: 'sla-flow' }, text: 'help' })).body;
    await t.http.post(`/api/tickets/${ticketId}/notes`, { text: 'looking' });
    expect((await ticket(ticketId)).sla.firstResponseDueAt).not.toBeNull(); // a note is not a response
    await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'on it' });
    const replied = await ticket(ticketId);
    expect(replied.sla.firstResponseDueAt).toBeNull();
    expect(replied.sla.nextResponseDueAt).toBeNull();
    const met = await sql(`SELECT metric, kind FROM sla_events WHERE ticket_id = $1`, [ticketId]);
    expect(met).toEqual([{ metric: 'first_response', kind: 'met' }]);
    const [{ first_response_business_sec: measured }] = await sql('SELECT first_response_business_sec FROM tickets WHERE id = $1', [ticketId]);
    expect(measured).toBeGreaterThanOrEqual(0);
    expect(measured).toBeLessThan(60); // replied within the test's few seconds, measured for the reports

    await inbound(t.http, channel, { externalMessageId: 'sla-5', from: { externalId: 'sla-flow' }, text: 'still broken' });
    const waiting = await ticket(ticketId);
    expect(secondsBetween(waiting.lastMessageAt, waiting.sla.nextResponseDueAt)).toBeCloseTo(1800, 0);
  });

  it('pauses resolution while pending and resumes it with the time that was left; resolving stops everything', async () => {
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'sla-6', from: { externalId: 'sla-pause' }, text: 'help' })).body;
    const before = (await ticket(ticketId)).sla.resolutionDueAt;
    // The usual flow: the agent asks for something and waits on the customer.
    await t.http.post(`/api/tickets/${ticketId}/replies`, { text: 'which order number?' });
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'pending' });
    const paused = await ticket(ticketId);
    expect(paused.sla.state).toBe('paused');
    expect(paused.sla.resolutionDueAt).toBeNull();
    const [{ sla_clocks: clocks }] = await sql('SELECT sla_clocks FROM tickets WHERE id = $1', [ticketId]);
    expect(clocks.resolution.remainingSec).toBeGreaterThan(86_390);
    await new Promise((r) => setTimeout(r, 1_100)); // the customer takes a while to answer
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'open' });
    const resumed = (await ticket(ticketId)).sla.resolutionDueAt;
    expect(Date.parse(resumed) - Date.parse(before)).toBeGreaterThanOrEqual(1_000); // the paused second does not count
    await t.http.patch(`/api/tickets/${ticketId}`, { status: 'resolved' });
    const resolved = await ticket(ticketId);
    expect(resolved.sla).toMatchObject({ state: 'met', firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null });
  });

  it('shows the SLA board: counts per state and open tickets by nearest due instant, filtered', async () => {
    const agent = (await t.http.post('/api/agents', { name: 'Board', email: 'board@example.com', password: 'agent-password', role: 'agent' })).body;
    const open = async (n: number) => {
      const { ticketId } = (await inbound(t.http, channel, { externalMessageId: `board-${n}`, from: { externalId: `board-${n}` }, text: 'x' })).body;
      await t.http.patch(`/api/tickets/${ticketId}`, { assigneeId: agent.id, priority: n === 3 ? 'urgent' : 'normal' });
      return ticketId as string;
    };
    const [a, b, c] = [await open(1), await open(2), await open(3)];
    // b waits on the customer; c is overdue.
    await t.http.post(`/api/tickets/${b}/replies`, { text: 'need info' });
    await t.http.patch(`/api/tickets/${b}`, { status: 'pending' });
    await sql(`UPDATE tickets SET sla_state = 'breached', first_response_due_at = now() - interval '1 minute' WHERE id = $1`, [c]);

    const board = (await t.http.get(`/api/sla/board?assigneeId=${agent.id}`)).body;
    expect(board.summary).toEqual({ breached: 1, atRisk: 0, onTrack: 1, paused: 1 });
    expect(board.tickets.map((x: { id: string }) => x.id)).toEqual([c, a, b]);
    const urgent = (await t.http.get(`/api/sla/board?assigneeId=${agent.id}&priority=urgent`)).body;
    expect(urgent.tickets.map((x: { id: string }) => x.id)).toEqual([c]);
    expect((await t.http.get('/api/sla/board?priority=whenever')).body.code).toBe('VALIDATION_FAILED');
  });

  it('announces a breach within a second of its instant, once — also across a restart just before it', async () => {
    for (const policy of (await t.http.get('/api/sla/policies')).body.items) {
      expect((await t.http.patch(`/api/sla/policies/${policy.id}`, { active: false })).body.active).toBe(false);
    }
    expect((await t.http.patch('/api/sla/policies/00000000-0000-4000-8000-000000000000', { active: false })).body.code).toBe('POLICY_NOT_FOUND');
    expect((await t.http.patch(`/api/sla/policies/${(await t.http.get('/api/sla/policies')).body.items[0].id}`, { firstResponseSec: 1 })).body.code).toBe('VALIDATION_FAILED');
    await t.http.post('/api/sla/policies', { name: 'Fast', match: { channelType: 'api' }, firstResponseSec: 3, warnBeforeSec: 1, position: 0 });
    const agent = await AgentClient.connect(t.url, t.adminToken);
    clients.push(agent);
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'sla-7', from: { externalId: 'sla-fast' }, text: 'quick!' })).body;
    const due = Date.parse((await ticket(ticketId)).sla.firstResponseDueAt);

    const warning = await agent.waitFor('sla.warning', (e) => e.ticket.id === ticketId, 6_000);
    expect(warning.metric).toBe('first_response');
    const breach = await agent.waitFor('sla.breached', (e) => e.ticket.id === ticketId, 6_000);
    const received = Date.now();
    expect(received - due).toBeLessThan(1_000);
    expect(received - due).toBeGreaterThanOrEqual(-50);
    expect(breach.ticket.sla.state).toBe('breached');

    // Restart just before the next instant: the new process announces it, once.
    const second = (await inbound(t.http, channel, { externalMessageId: 'sla-8', from: { externalId: 'sla-restart' }, text: 'again' })).body;
    await t.server.close();
    const peer = await startPeerServer(t, {});
    try {
      const watcher = await AgentClient.connect(peer.url, t.adminToken);
      clients.push(watcher);
      await watcher.waitFor('sla.breached', (e) => e.ticket.id === second.ticketId, 8_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(watcher.of('sla.breached').filter((e) => e.ticket.id === second.ticketId)).toHaveLength(1);
      const events = await sql(`SELECT kind FROM sla_events WHERE ticket_id = $1 ORDER BY kind`, [second.ticketId]);
      expect(events).toEqual([{ kind: 'breached' }, { kind: 'warning' }]);
    } finally {
      await peer.close();
    }
    await eventually(async () => ((await sql(`SELECT count(*)::int AS n FROM sla_events WHERE ticket_id = $1 AND kind = 'breached'`, [ticketId]))[0].n === 1 ? true : undefined));
  });
});
