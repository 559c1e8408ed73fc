import { ADMIN, createApiChannel, startTestServer, TestServer } from '../support/test-server';

describe('auth and roles', () => {
  let t: TestServer;
  let agentToken: string;
  let supervisorToken: string;
  let agentId: string;

  beforeAll(async () => {
    t = await startTestServer();
    const agent = await t.http.post('/api/agents', { name: 'Nima', email: 'Nima@Example.com', password: 'agent-password', role: 'agent' });
    expect(agent.status).toBe(201);
    agentId = agent.body.id;
    await t.http.post('/api/agents', { name: 'Mina', email: 'mina@example.com', password: 'supervisor-pass', role: 'supervisor' });
    agentToken = (await t.http.post('/api/auth/login', { email: 'nima@example.com', password: 'agent-password' })).body.accessToken;
    supervisorToken = (await t.http.post('/api/auth/login', { email: 'mina@example.com', password: 'supervisor-pass' })).body.accessToken;
  });
  afterAll(() => t.close());

  it('logs in with email and password, and refuses wrong ones with 401', async () => {
    const ok = await t.http.as(undefined).post('/api/auth/login', ADMIN);
    expect(ok.status).toBe(200);
    expect(ok.body.agent).toEqual({ id: expect.any(String), name: 'Administrator', email: ADMIN.email, role: 'admin' });
    const wrong = await t.http.as(undefined).post('/api/auth/login', { ...ADMIN, password: 'nope' });
    const unknown = await t.http.as(undefined).post('/api/auth/login', { email: 'ghost@example.com', password: 'nope' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses every /api route but login and health without a valid token', async () => {
    const anonymous = t.http.as(undefined);
    for (const path of ['/api/tickets', '/api/customers', '/api/agents', '/api/teams', '/api/channels', '/api/tokens']) {
      const res = await anonymous.get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 401, code: 'MISSING_TOKEN' });
    }
    expect((await t.http.as('psk_s_forged').get('/api/tickets')).body.code).toBe('INVALID_TOKEN');
    expect((await anonymous.get('/api/health')).status).toBe(200);
  });

  it.each([
    ['agent', 'POST', '/api/channels', 403, { type: 'api', name: 'x', config: {} }],
    ['agent', 'POST', '/api/agents', 403, { name: 'x', email: 'x@example.com', password: 'password1', role: 'agent' }],
    ['agent', 'POST', '/api/teams', 403, { name: 'Agents Only' }],
    ['supervisor', 'POST', '/api/channels', 403, { type: 'api', name: 'x', config: {} }],
    ['supervisor', 'POST', '/api/agents', 403, { name: 'y', email: 'y@example.com', password: 'password1', role: 'agent' }],
    ['agent', 'GET', '/api/tickets', 200, undefined],
    ['agent', 'GET', '/api/agents', 200, undefined],
    ['agent', 'GET', '/api/channels', 200, undefined],
    ['supervisor', 'GET', '/api/customers', 200, undefined],
  ])('%s: %s %s → %s', async (role, method, path, status, body) => {
    const token = role === 'agent' ? agentToken : supervisorToken;
    const res = await t.http.as(token).request(method, path, body);
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.code).toBe('ROLE_REQUIRED');
  });

  it('lets an admin create channels and agents', async () => {
    expect((await t.http.post('/api/channels', { type: 'api', name: 'ok', config: {} })).status).toBe(201);
    expect((await t.http.post('/api/teams', { name: 'Billing', memberIds: [agentId] })).status).toBe(201);
  });

  it('never returns passwords, token hashes or channel secrets', async () => {
    const secret = 'callback-secret-0123456789';
    const channel = await t.http.post('/api/channels', { type: 'api', name: 'with secret', config: { callbackUrl: 'http://127.0.0.1:9/cb', secret } });
    expect(channel.status).toBe(201);
    const responses = [channel, await t.http.get('/api/channels'), await t.http.get(`/api/channels/${channel.body.id}`), await t.http.get('/api/agents')];
    for (const res of responses) {
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/password|token_hash|tokenHash|\$argon2/i);
    }
    const stored = await t.db.database.dataSource.query('SELECT config::text, secrets FROM channels WHERE id = $1', [channel.body.id]);
    expect(stored[0].config).not.toContain(secret);
    expect(stored[0].secrets).not.toContain(secret);
    expect(stored[0].secrets).toMatch(/^v1\./);
  });

  it('keeps a secret that an update leaves out (secrets are write-only)', async () => {
    const channel = await t.http.post('/api/channels', { type: 'api', name: 'keep', config: { callbackUrl: 'http://127.0.0.1:9/a', secret: 'first-secret-0123456789' } });
    const updated = await t.http.patch(`/api/channels/${channel.body.id}`, { config: { callbackUrl: 'http://127.0.0.1:9/b' } });
    expect(updated.status).toBe(200);
    expect(updated.body.config).toEqual({ callbackUrl: 'http://127.0.0.1:9/b' });
    const invalid = await t.http.post('/api/channels', { type: 'api', name: 'bad', config: { callbackUrl: 'ftp://x' } });
    expect(invalid.body).toMatchObject({ statusCode: 400, code: 'INVALID_CONFIG' });
  });

  it('issues API tokens for integrations, and revokes them', async () => {
    const created = await t.http.as(agentToken).post('/api/tokens', { name: 'CRM sync' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^psk_a_/);
    const integration = t.http.as(created.body.token);
    expect((await integration.get('/api/tickets')).status).toBe(200);
    expect((await integration.post('/api/channels', { type: 'api', name: 'x', config: {} })).status).toBe(403);
    const listed = await t.http.as(agentToken).get('/api/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await t.http.as(agentToken).delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    expect((await integration.get('/api/tickets')).status).toBe(401);
  });

  it('logs out, and a deactivated agent loses access at once', async () => {
    await t.http.post('/api/agents', { name: 'Temp', email: 'temp@example.com', password: 'temp-password', role: 'agent' });
    const login = async () => (await t.http.as(undefined).post('/api/auth/login', { email: 'temp@example.com', password: 'temp-password' })).body;
    const session = await login();
    expect((await t.http.as(session.accessToken).post('/api/auth/logout')).status).toBe(204);
    expect((await t.http.as(session.accessToken).get('/api/tickets')).status).toBe(401);

    const second = await login();
    expect((await t.http.patch(`/api/agents/${second.agent.id}`, { active: false })).status).toBe(200);
    expect((await t.http.as(second.accessToken).get('/api/tickets')).status).toBe(401);
    expect((await t.http.as(undefined).post('/api/auth/login', { email: 'temp@example.com', password: 'temp-password' })).status).toBe(401);
  });

  it('will not deactivate or demote the last admin', async () => {
    const me = await t.http.get('/api/agents/me');
    const res = await t.http.patch(`/api/agents/${me.body.id}`, { role: 'agent' });
    expect(res.body).toMatchObject({ statusCode: 409, code: 'LAST_ADMIN' });
  });

  it('rejects unknown fields, wrong types and duplicates with a code', async () => {
    const unknown = await t.http.post('/api/agents', { name: 'x', email: 'z@example.com', password: 'password1', role: 'agent', isRoot: true });
    expect(unknown.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(unknown.body.message).toContain('isRoot');
    const badRole = await t.http.post('/api/agents', { name: 'x', email: 'z@example.com', password: 'password1', role: 'god' });
    expect(badRole.body.code).toBe('VALIDATION_FAILED');
    const dup = await t.http.post('/api/agents', { name: 'x', email: 'NIMA@example.com', password: 'password1', role: 'agent' });
    expect(dup.body).toMatchObject({ statusCode: 409, code: 'AGENT_EMAIL_TAKEN' });
  });

  it('writes who did what to the audit log', async () => {
    const channel = await createApiChannel(t.http);
    const rows = await t.db.database.dataSource.query(`SELECT actor_type, actor_id, action FROM audit_log WHERE entity_id = $1`, [channel.id]);
    const me = await t.http.get('/api/agents/me');
    expect(rows).toEqual([{ actor_type: 'agent', actor_id: me.body.id, action: 'channel.created' }]);
  });
});
