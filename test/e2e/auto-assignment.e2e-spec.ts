import { AgentClient, ApiChannel, createApiChannel, eventually, inbound, startTestServer, TestServer } from '../support/test-server';

/**
 * A channel's assignment rule: new tickets go to its team, and with auto assignment to an online
 * agent of that team — the least loaded with room under the cap, round robin between equals. A
 * ticket nobody can take waits and goes to the next agent who comes online or makes room.
 */
describe('auto assignment (a channel routes its tickets)', () => {
  let t: TestServer;
  let sales: string;
  const agents: Record<string, { id: string; token: string }> = {};
  const sockets: AgentClient[] = [];
  let n = 0;

  const online = async (name: string) => {
    const client = await AgentClient.connect(t.url, agents[name].token);
    sockets.push(client);
    return client;
  };
  const newTicket = async (channel: ApiChannel) => {
    n++;
    const res = await inbound(t.http, channel, { externalMessageId: `m-${n}`, from: { externalId: `customer-${n}`, name: `Customer ${n}` }, text: `question ${n}` });
    expect(res.status).toBe(202);
    return res.body.ticketId as string;
  };
  const ticket = async (id: string) => (await t.http.get(`/api/tickets/${id}`)).body;
  const assignedTo = (id: string) => eventually(async () => (await ticket(id)).assigneeId ?? undefined, 10_000, `ticket ${id} assigned`);
  const stillUnassigned = async (id: string) => {
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await ticket(id)).assigneeId).toBeNull();
  };

  beforeAll(async () => {
    t = await startTestServer();
    sales = (await t.http.post('/api/teams', { name: 'Sales' })).body.id;
    for (const [name, teamIds] of [['Azadeh', [sales]], ['Babak', [sales]], ['Cyrus', []]] as const) {
      const email = `${name.toLowerCase()}@example.com`;
      const created = await t.http.post('/api/agents', { name, email, password: 'agent-password', role: 'agent', teamIds });
      expect(created.status).toBe(201);
      const login = await t.http.post('/api/auth/login', { email, password: 'agent-password' });
      agents[name] = { id: created.body.id, token: login.body.accessToken };
    }
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  it('validates the rule and shows it on the channel', async () => {
    const channel = await createApiChannel(t.http);
    expect((await t.http.get(`/api/channels/${channel.id}`)).body.assignment).toEqual({ auto: false, teamId: null, maxOpenPerAgent: null });
    const unknownTeam = await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: true, teamId: '00000000-0000-4000-8000-000000000000', maxOpenPerAgent: null } });
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('assignment.teamId') });
    expect((await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: true, teamId: null, maxOpenPerAgent: 0 } })).status).toBe(400);
    expect((await t.http.patch(`/api/channels/${channel.id}`, { assignment: { teamId: sales } })).status).toBe(400);
    const saved = await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: true, teamId: sales, maxOpenPerAgent: 5 } });
    expect(saved.status).toBe(200);
    expect(saved.body.assignment).toEqual({ auto: true, teamId: sales, maxOpenPerAgent: 5 });
    const created = await t.http.post('/api/channels', { type: 'api', name: 'routed', config: {}, assignment: { auto: false, teamId: sales, maxOpenPerAgent: null } });
    expect(created.body.assignment).toEqual({ auto: false, teamId: sales, maxOpenPerAgent: null });
  });

  it("a manual channel with a team: its new tickets are born in the team, unassigned", async () => {
    const channel = await createApiChannel(t.http);
    await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: false, teamId: sales, maxOpenPerAgent: null } });
    const id = await newTicket(channel);
    expect(await ticket(id)).toMatchObject({ teamId: sales, assigneeId: null });
  });

  it('waits for someone online, then spreads tickets by load and round robin, within the team and the cap', async () => {
    const channel = await createApiChannel(t.http);
    await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: true, teamId: sales, maxOpenPerAgent: 2 } });
    // Cyrus is online but not in Sales; nobody from Sales is: the ticket waits, in the team.
    await online('Cyrus');
    const first = await newTicket(channel);
    expect((await ticket(first)).teamId).toBe(sales);
    await stillUnassigned(first);

    // Azadeh comes online: the waiting ticket is hers, and every agent sees the change live.
    const azadehSocket = await online('Azadeh');
    expect(await assignedTo(first)).toBe(agents.Azadeh.id);
    const update = await azadehSocket.waitFor('ticket.updated', (p) => p.id === first && p.assigneeId === agents.Azadeh.id);
    expect(update.teamId).toBe(sales);
    // And a notice on her own sockets, by nobody: the channel's rule.
    expect(await azadehSocket.waitFor('ticket.assigned', (p) => p.ticket.id === first)).toMatchObject({ by: null });

    // Babak joins. Azadeh has 1 open, Babak 0: Babak. Then 1 and 1: Azadeh was assigned longer ago.
    await online('Babak');
    const second = await newTicket(channel);
    expect(await assignedTo(second)).toBe(agents.Babak.id);
    const third = await newTicket(channel);
    expect(await assignedTo(third)).toBe(agents.Azadeh.id);
    const fourth = await newTicket(channel);
    expect(await assignedTo(fourth)).toBe(agents.Babak.id);

    // Both at the cap of 2: the fifth waits. Azadeh resolves one: the fifth is hers.
    const fifth = await newTicket(channel);
    await stillUnassigned(fifth);
    expect((await t.http.patch(`/api/tickets/${first}`, { status: 'resolved' })).status).toBe(200);
    expect(await assignedTo(fifth)).toBe(agents.Azadeh.id);

    // Nothing went to Cyrus.
    const cyrus = (await t.http.get(`/api/tickets?assigneeId=${agents.Cyrus.id}`)).body.items;
    expect(cyrus).toEqual([]);
  });

  it('skips agents who are away, and a deactivated one', async () => {
    const channel = await createApiChannel(t.http);
    await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: true, teamId: null, maxOpenPerAgent: null } });
    const everyone = await Promise.all(['Azadeh', 'Babak', 'Cyrus'].map((name) => online(name)));
    for (const socket of everyone.slice(0, 2)) expect(await socket.emit('presence.set', { status: 'away' })).toMatchObject({ ok: true });
    // The admin of the test server is not connected: only Cyrus is here.
    const id = await newTicket(channel);
    expect(await assignedTo(id)).toBe(agents.Cyrus.id);
    await t.http.patch(`/api/agents/${agents.Cyrus.id}`, { active: false });
    const next = await newTicket(channel);
    await stillUnassigned(next);
    // Back from away: Azadeh gets it.
    expect(await everyone[0].emit('presence.set', { status: 'online' })).toMatchObject({ ok: true });
    expect(await assignedTo(next)).toBe(agents.Azadeh.id);
  });

  it("a restricted team's channel: its tickets never reach agents outside the team, not even the first push", async () => {
    const vip = (await t.http.post('/api/teams', { name: 'VIP', restricted: true, memberIds: [agents.Babak.id] })).body.id;
    const channel = await createApiChannel(t.http);
    await t.http.patch(`/api/channels/${channel.id}`, { assignment: { auto: false, teamId: vip, maxOpenPerAgent: null } });
    const [babak, azadeh] = [await online('Babak'), await online('Azadeh')];
    const secret = await newTicket(channel);
    expect(await babak.waitFor('ticket.created', (p) => p.id === secret)).toMatchObject({ teamId: vip });
    await babak.waitFor('message.created', (p) => p.ticketId === secret);
    await new Promise((r) => setTimeout(r, 300));
    expect(azadeh.events.filter((e) => e.payload?.id === secret || e.payload?.ticketId === secret)).toEqual([]);
    expect((await t.http.as(agents.Azadeh.token).get(`/api/tickets/${secret}`)).status).toBe(404);
  });

  it("a team with nobody in, however many tickets it has waiting, does not hold up other tickets", async () => {
    const absent = (await t.http.post('/api/agents', { name: 'Absent', email: 'absent@example.com', password: 'agent-password', role: 'agent' })).body.id;
    const night = (await t.http.post('/api/teams', { name: 'Night', memberIds: [absent] })).body.id;
    const nightChannel = await createApiChannel(t.http);
    await t.http.patch(`/api/channels/${nightChannel.id}`, { assignment: { auto: true, teamId: night, maxOpenPerAgent: null } });
    for (let i = 0; i < 205; i++) await newTicket(nightChannel);
    await online('Azadeh');
    const dayChannel = await createApiChannel(t.http);
    await t.http.patch(`/api/channels/${dayChannel.id}`, { assignment: { auto: true, teamId: null, maxOpenPerAgent: null } });
    const id = await newTicket(dayChannel);
    expect([agents.Azadeh.id, agents.Babak.id]).toContain(await assignedTo(id));
  });
});
