import { AgentClient, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

describe('Snoozed tickets wake by themselves', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('reopens at snoozedUntil, pushes ticket.updated and records the system in the audit log', async () => {
    const channel = await createApiChannel(t.http);
    const res = await inbound(t.http, channel, { externalMessageId: 'snooze-1', from: { externalId: 'c-snooze' }, text: 'ping me later' });
    expect(res.status).toBe(202);
    const { ticketId } = res.body;
    const agent = await AgentClient.connect(t.url, t.adminToken);
    try {
      const until = new Date(Date.now() + 1_000).toISOString();
      const snoozed = await t.http.patch(`/api/tickets/${ticketId}`, { status: 'snoozed', snoozedUntil: until });
      expect(snoozed.status).toBe(200);
      expect(snoozed.body.status).toBe('snoozed');

      // The waker sleeps at most 15 s between checks.
      const woken = await eventually(async () => {
        const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
        return ticket.status === 'open' ? ticket : undefined;
      }, 20_000, 'the snooze to end');
      expect(woken.snoozedUntil).toBeNull();
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
      await agent.waitFor('ticket.updated', (p) => p.id === ticketId && p.status === 'open');
      const audit = await t.db.database.dataSource.query(
        `SELECT actor_type, data FROM audit_log WHERE entity_id = $1 AND action = 'ticket.updated' ORDER BY created_at DESC LIMIT 1`,
        [ticketId],
      );
      expect(audit[0]).toMatchObject({ actor_type: 'system', data: { reason: 'snooze ended' } });
    } finally {
      agent.close();
    }
  }, 40_000);

  it('refuses to clear the time of a ticket that stays snoozed (it would never wake)', async () => {
    const channel = await createApiChannel(t.http);
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'snooze-2', from: { externalId: 'c-snooze-2' }, text: 'later' })).body;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await t.http.patch(`/api/tickets/${ticketId}`, { status: 'snoozed', snoozedUntil: until })).status).toBe(200);

    const cleared = await t.http.patch(`/api/tickets/${ticketId}`, { snoozedUntil: null });
    expect(cleared.status).toBe(400);
    expect(cleared.body.code).toBe('SNOOZE_NEEDS_TIME');
    const ticket = (await t.http.get(`/api/tickets/${ticketId}`)).body;
    expect(ticket).toMatchObject({ status: 'snoozed', snoozedUntil: until });

    // Ending the snooze is a status change, and it clears the time.
    const reopened = await t.http.patch(`/api/tickets/${ticketId}`, { status: 'open', snoozedUntil: null });
    expect(reopened.body).toMatchObject({ status: 'open', snoozedUntil: null });
  });
});
