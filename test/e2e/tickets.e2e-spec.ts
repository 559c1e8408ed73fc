import { ApiChannel, createApiChannel, inbound, startTestServer, TestServer } from '../support/test-server';

describe('tickets, messages and customers over REST', () => {
  let t: TestServer;
  let channel: ApiChannel;
  let agentToken: string;
  let agentId: string;

  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
    agentId = (await t.http.post('/api/agents', { name: 'Ava', email: 'ava@example.com', password: 'agent-password', role: 'agent' })).body.id;
    agentToken = (await t.http.post('/api/auth/login', { email: 'ava@example.com', password: 'agent-password' })).body.accessToken;
  });
  afterAll(() => t.close());

  it('gives tickets human sequential numbers and the API.md shape', async () => {
    const a = await inbound(t.http, channel, { externalMessageId: 'shape-1', from: { externalId: 'shape-a', name: 'Ali' }, text: 'first', subject: 'Broken login' });
    const b = await inbound(t.http, channel, { externalMessageId: 'shape-2', from: { externalId: 'shape-b' }, text: 'second' });
    const ta = (await t.http.get(`/api/tickets/${a.body.ticketId}`)).body;
    const tb = (await t.http.get(`/api/tickets/${b.body.ticketId}`)).body;
    expect(tb.number).toBe(ta.number + 1);
    expect(ta).toMatchObject({
      id: a.body.ticketId,
      subject: 'Broken login',
      status: 'open',
      priority: 'normal',
      channel: { id: channel.id, type: 'api', name: expect.any(String) },
      customer: { id: a.body.customerId, name: 'Ali' },
      assigneeId: null,
      teamId: null,
      tags: [],
      firstResponseAt: null,
      resolvedAt: null,
      sla: { policyId: null, firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null, state: 'none' },
    });
    expect(new Date(ta.createdAt).toISOString()).toBe(ta.createdAt);
  });

  it('filters the list by every documented filter and pages with a cursor', async () => {
    const make = async (n: number, from: string) => (await inbound(t.http, channel, { externalMessageId: `list-${n}`, from: { externalId: from }, text: `list ${n}` })).body.ticketId;
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await make(i, `list-customer-${i}`));
    await t.http.patch(`/api/tickets/${ids[0]}`, { assigneeId: agentId, priority: 'urgent', tags: ['vip', 'billing'] });
    await t.http.patch(`/api/tickets/${ids[1]}`, { status: 'pending', tags: ['billing'] });

    const q = async (query: string, token?: string) => (await (token ? t.http.as(token) : t.http).get(`/api/tickets?${query}`)).body.items.map((x: { id: string }) => x.id);
    expect(await q('assigneeId=me', agentToken)).toEqual([ids[0]]);
    expect(await q(`assigneeId=${agentId}`)).toEqual([ids[0]]);
    expect(await q('priority=urgent')).toEqual([ids[0]]);
    expect(await q('tag=billing')).toEqual(expect.arrayContaining([ids[0], ids[1]]));
    expect(await q('tag=billing')).toHaveLength(2);
    expect(await q('status=pending')).toEqual([ids[1]]);
    expect(await q('channelType=api&status=open,pending')).toEqual(expect.arrayContaining(ids));
    expect(await q('channelType=email')).toEqual([]);
    expect(await q('assigneeId=none')).not.toContain(ids[0]);
    const customerId = (await t.http.get(`/api/tickets/${ids[3]}`)).body.customer.id;
    expect(await q(`customerId=${customerId}`)).toEqual([ids[3]]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await t.http.get(`/api/tickets?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((x) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));

    expect((await t.http.get('/api/tickets?limit=201')).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/tickets?status=lost')).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/tickets?cursor=garbage')).body.code).toBe('INVALID_CURSOR');
  });

  it('finds tickets and customers whatever Arabic or Persian letter forms and digits are typed', async () => {
    const res = await inbound(t.http, channel, { externalMessageId: 'fa-1', from: { externalId: 'fa', name: 'علي كريمي' }, text: 'پیگیری سفارش ۴۵۶', subject: 'مشكل پرداخت' });
    const ticketIds = async (q: string) => (await t.http.get(`/api/tickets?q=${encodeURIComponent(q)}`)).body.items.map((x: { id: string }) => x.id);
    expect(await ticketIds('مشکل')).toContain(res.body.ticketId); // Persian keheh finds Arabic kaf
    expect(await ticketIds('علی کریمی')).toContain(res.body.ticketId); // by customer name, Persian yeh
    expect(await ticketIds('456')).toContain(res.body.ticketId); // ASCII digits find Persian ones
    const ticket = (await t.http.get(`/api/tickets/${res.body.ticketId}`)).body;
    expect(await ticketIds(`#${ticket.number}`)).toEqual([res.body.ticketId]);
    const customers = (await t.http.get(`/api/customers?q=${encodeURIComponent('كريمي')}`)).body.items;
    expect(customers.map((c: { id: string }) => c.id)).toEqual([res.body.customerId]);
  });

  it('updates status, assignee, team and tags, with an audit record of who and when', async () => {
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'patch-1', from: { externalId: 'patch' }, text: 'x' })).body;
    const team = (await t.http.post('/api/teams', { name: 'Support' })).body;
    const res = await t.http.as(agentToken).patch(`/api/tickets/${ticketId}`, { status: 'resolved', assigneeId: agentId, teamId: team.id, tags: [' refund ', 'refund', 'urgent'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'resolved', assigneeId: agentId, teamId: team.id, tags: ['refund', 'urgent'] });
    expect(res.body.resolvedAt).not.toBeNull();
    const audit = await t.db.database.dataSource.query(`SELECT actor_id, action, data, created_at FROM audit_log WHERE entity_id = $1 AND action = 'ticket.updated'`, [ticketId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(agentId);
    expect(audit[0].data.status).toEqual({ from: 'open', to: 'resolved' });

    expect((await t.http.patch(`/api/tickets/${ticketId}`, { assigneeId: '00000000-0000-4000-8000-000000000000' })).body.code).toBe('ASSIGNEE_NOT_FOUND');
    expect((await t.http.patch(`/api/tickets/${ticketId}`, { status: 'snoozed' })).body.code).toBe('SNOOZE_NEEDS_TIME');
    expect((await t.http.patch(`/api/tickets/${ticketId}`, { color: 'red' })).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.patch('/api/tickets/00000000-0000-4000-8000-000000000000', { status: 'open' })).body).toMatchObject({ statusCode: 404, code: 'TICKET_NOT_FOUND' });
  });

  it('hides a restricted team\'s tickets from agents outside it, not from supervisors', async () => {
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'restricted-1', from: { externalId: 'restricted' }, text: 'secret' })).body;
    const team = (await t.http.post('/api/teams', { name: 'Legal', restricted: true })).body;
    await t.http.patch(`/api/tickets/${ticketId}`, { teamId: team.id });
    expect((await t.http.as(agentToken).get(`/api/tickets/${ticketId}`)).status).toBe(404);
    expect((await t.http.as(agentToken).get('/api/tickets?limit=200')).body.items.map((x: { id: string }) => x.id)).not.toContain(ticketId);
    await t.http.patch(`/api/teams/${team.id}`, { memberIds: [agentId] });
    expect((await t.http.as(agentToken).get(`/api/tickets/${ticketId}`)).status).toBe(200);
  });

  it('keeps notes internal and lists messages oldest first', async () => {
    const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'note-1', from: { externalId: 'note' }, text: 'hello' })).body;
    const note = await t.http.post(`/api/tickets/${ticketId}/notes`, { text: 'customer is a reseller' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', direction: 'outbound', authorType: 'agent' });
    const messages = (await t.http.get(`/api/tickets/${ticketId}/messages`)).body.items;
    expect(messages.map((m: { text: string }) => m.text)).toEqual(['hello', 'customer is a reseller']);
    expect(messages[0]).toMatchObject({ direction: 'inbound', kind: 'message', authorType: 'customer', deliveryStatus: 'received', attachments: [] });
    const outbox = await t.db.database.dataSource.query('SELECT count(*)::int AS n FROM outbox');
    expect(outbox[0].n).toBe(0);
    expect((await t.http.post(`/api/tickets/${ticketId}/notes`, { text: '  ' })).body.code).toBe('EMPTY_MESSAGE');
  });

  it('edits a customer with normalised contacts and merges two customers, audited', async () => {
    const a = (await inbound(t.http, channel, { externalMessageId: 'merge-1', from: { externalId: 'merge-a', name: 'Sara' }, text: 'x' })).body;
    const b = (await inbound(t.http, channel, { externalMessageId: 'merge-2', from: { externalId: 'merge-b', email: 'sara@example.com' }, text: 'y' })).body;
    const edited = await t.http.patch(`/api/customers/${a.customerId}`, { phone: '+98 ۹۱۲ ۰۰۰ ۱۱۲۲', tier: 'vip' });
    expect(edited.body).toMatchObject({ phone: '+989120001122', tier: 'vip' });
    expect((await t.http.patch(`/api/customers/${a.customerId}`, { phone: '123' })).body.code).toBe('INVALID_PHONE');

    const merged = await t.http.post(`/api/customers/${a.customerId}/merge`, { sourceCustomerId: b.customerId });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: a.customerId, name: 'Sara', email: 'sara@example.com', ticketCount: 2 });
    expect(merged.body.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['merge-a', 'merge-b']);
    expect((await t.http.get(`/api/customers/${b.customerId}`)).body.code).toBe('CUSTOMER_MERGED');
    const history = (await t.http.get(`/api/customers/${a.customerId}/tickets`)).body.items.map((x: { id: string }) => x.id);
    expect(history.sort()).toEqual([a.ticketId, b.ticketId].sort());
    // The source's identity now resolves to the survivor.
    const next = await inbound(t.http, channel, { externalMessageId: 'merge-3', from: { externalId: 'merge-b' }, text: 'z' });
    expect(next.body.customerId).toBe(a.customerId);
    const audit = await t.db.database.dataSource.query(`SELECT data FROM audit_log WHERE action = 'customer.merged' AND entity_id = $1`, [a.customerId]);
    expect(audit[0].data.sourceCustomerId).toBe(b.customerId);
    expect((await t.http.post(`/api/customers/${a.customerId}/merge`, { sourceCustomerId: a.customerId })).body.code).toBe('MERGE_INTO_SELF');
  });
});
