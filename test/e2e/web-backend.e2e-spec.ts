import { AgentClient, ApiChannel, createApiChannel, HttpClient, inbound, startTestServer, TestServer } from '../support/test-server';

/**
 * What the web app needs from the server: per-agent read state (PUT /api/tickets/:id/read and
 * `readAt`), the agent's own display preferences, and the built app itself served at `/`.
 */
describe('web app backend', () => {
  let t: TestServer;
  let channel: ApiChannel;
  const agent = async (name: string, role = 'agent') => {
    const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const created = (await t.http.post('/api/agents', { name, email, password: 'agent-password', role })).body;
    const token = (await t.http.as(undefined).post('/api/auth/login', { email, password: 'agent-password' })).body.accessToken as string;
    return { id: created.id as string, http: t.http.as(token) };
  };

  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
  });
  afterAll(() => t.close());

  describe('read state', () => {
    it('marks a ticket read for the calling agent only, and a later customer message makes it unread again', async () => {
      const sara = await agent('Sara');
      const omid = await agent('Omid');
      const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'read-1', from: { externalId: 'read-cust' }, text: 'hello' })).body;

      const before = (await sara.http.get(`/api/tickets/${ticketId}`)).body;
      expect(before.readAt).toBeNull();
      expect(before.lastCustomerMessageAt).toEqual(expect.any(String));
      expect(before.preview).toBe('hello');

      const marked = await sara.http.request('PUT', `/api/tickets/${ticketId}/read`);
      expect(marked.status).toBe(200);
      expect(marked.body).toEqual({ ticketId, readAt: expect.any(String) });
      expect(new Date(marked.body.readAt).getTime()).toBeGreaterThanOrEqual(new Date(before.lastCustomerMessageAt).getTime());

      // In the list and the detail, for Sara; Omid has not read it.
      const listed = (await sara.http.get(`/api/tickets?customerId=${before.customer.id}`)).body.items;
      expect(listed).toEqual([expect.objectContaining({ id: ticketId, readAt: marked.body.readAt, preview: 'hello' })]);
      expect((await sara.http.get(`/api/tickets/${ticketId}`)).body.readAt).toBe(marked.body.readAt);
      expect((await omid.http.get(`/api/tickets/${ticketId}`)).body.readAt).toBeNull();
      expect((await omid.http.get(`/api/tickets?customerId=${before.customer.id}`)).body.items[0].readAt).toBeNull();

      // The customer writes again: unread = lastCustomerMessageAt > readAt.
      await inbound(t.http, channel, { externalMessageId: 'read-2', from: { externalId: 'read-cust' }, text: 'anyone?' });
      const after = (await sara.http.get(`/api/tickets/${ticketId}`)).body;
      expect(after.readAt).toBe(marked.body.readAt);
      expect(new Date(after.lastCustomerMessageAt).getTime()).toBeGreaterThan(new Date(after.readAt).getTime());
      expect(after.preview).toBe('anyone?');

      // Reading again moves readAt forward.
      const again = (await sara.http.request('PUT', `/api/tickets/${ticketId}/read`)).body;
      expect(new Date(again.readAt).getTime()).toBeGreaterThanOrEqual(new Date(after.lastCustomerMessageAt).getTime());
    });

    it("keeps readAt and preview out of pushes (they go to many agents), and puts them in the caller's PATCH answer", async () => {
      const socket = await AgentClient.connect(t.url, t.adminToken);
      try {
        const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'read-3', from: { externalId: 'read-cust-3' }, text: 'x' })).body;
        await t.http.request('PUT', `/api/tickets/${ticketId}/read`);
        const patched = await t.http.patch(`/api/tickets/${ticketId}`, { priority: 'high' });
        expect(patched.status).toBe(200);
        expect(patched.body).toMatchObject({ readAt: expect.any(String), preview: 'x' });
        const pushed = await socket.waitFor('ticket.updated', (x) => x.id === ticketId && x.priority === 'high');
        expect(pushed.lastCustomerMessageAt).toEqual(expect.any(String));
        expect(pushed).not.toHaveProperty('readAt');
        expect(pushed).not.toHaveProperty('preview');
      } finally {
        socket.close();
      }
    });

    it('refuses unknown and hidden tickets', async () => {
      expect((await t.http.request('PUT', '/api/tickets/00000000-0000-4000-8000-000000000000/read')).body).toMatchObject({ statusCode: 404, code: 'TICKET_NOT_FOUND' });
      expect((await t.http.request('PUT', '/api/tickets/not-a-uuid/read')).status).toBe(400);
      const member = await agent('Member');
      const outsider = await agent('Outsider');
      const team = (await t.http.post('/api/teams', { name: `VIP ${Date.now()}`, restricted: true, memberIds: [member.id] })).body;
      const { ticketId } = (await inbound(t.http, channel, { externalMessageId: 'read-4', from: { externalId: 'read-cust-4' }, text: 'secret' })).body;
      await t.http.patch(`/api/tickets/${ticketId}`, { teamId: team.id });
      expect((await outsider.http.request('PUT', `/api/tickets/${ticketId}/read`)).body).toMatchObject({ code: 'TICKET_NOT_FOUND' });
      expect((await member.http.request('PUT', `/api/tickets/${ticketId}/read`)).status).toBe(200);
      expect((await t.http.as(undefined).request('PUT', `/api/tickets/${ticketId}/read`)).status).toBe(401);
    });
  });

  describe('preferences', () => {
    it('stores language, calendar and digits per agent, each editing only their own', async () => {
      const sara = await agent('Sara');
      const omid = await agent('Omid');
      expect((await sara.http.get('/api/agents/me/preferences')).body).toEqual({});

      const patched = await sara.http.patch('/api/agents/me/preferences', { language: 'fa' });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ language: 'fa' });
      // Fields not sent keep their value.
      expect((await sara.http.patch('/api/agents/me/preferences', { calendar: 'persian', digits: 'arabext' })).body).toEqual({ language: 'fa', calendar: 'persian', digits: 'arabext' });
      expect((await sara.http.patch('/api/agents/me/preferences', { digits: 'latn' })).body).toEqual({ language: 'fa', calendar: 'persian', digits: 'latn' });
      expect((await sara.http.get('/api/agents/me/preferences')).body).toEqual({ language: 'fa', calendar: 'persian', digits: 'latn' });

      expect((await omid.http.get('/api/agents/me/preferences')).body).toEqual({});
      expect((await sara.http.get(`/api/agents/${sara.id}`)).status).toBe(200); // `me/preferences` does not shadow `:id`
    });

    it('refuses unknown values and fields, and anonymous callers', async () => {
      const sara = await agent('Sara');
      const bad = await sara.http.patch('/api/agents/me/preferences', { language: 'de' });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.message).toContain('language');
      expect((await sara.http.patch('/api/agents/me/preferences', { calendar: 'hijri' })).status).toBe(400);
      expect((await sara.http.patch('/api/agents/me/preferences', { digits: 'arab' })).status).toBe(400);
      expect((await sara.http.patch('/api/agents/me/preferences', { theme: 'dark' })).status).toBe(400);
      expect((await sara.http.get('/api/agents/me/preferences')).body).toEqual({});
      expect((await t.http.as(undefined).get('/api/agents/me/preferences')).status).toBe(401);
      expect((await t.http.as(undefined).patch('/api/agents/me/preferences', { language: 'fa' })).status).toBe(401);
    });
  });

  describe('the web app at /', () => {
    const html = (client: HttpClient, path: string) => client.request('GET', path, undefined, { accept: 'text/html,application/xhtml+xml' });

    it('serves index.html with a strict Content-Security-Policy and no caching', async () => {
      const res = await html(t.http.as(undefined), '/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self' ws: wss:");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*)/);
      expect(res.body).toContain('<div id="root">');
    });

    it('caches hashed assets for a year, and answers a missing one with 404, not the page', async () => {
      const page = (await html(t.http.as(undefined), '/')).body as string;
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1];
      const asset = await t.http.as(undefined).request('GET', script, undefined, { 'accept-encoding': 'gzip' });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await t.http.as(undefined).get('/assets/missing-0000.js')).status).toBe(404);
    });

    it('answers app routes with the page, and never shadows the API, webhooks or socket.io', async () => {
      for (const path of ['/inbox/all', '/inbox/mine/1f0c6a1e-0000-4000-8000-000000000000?status=any', '/board?wall=1', '/login']) {
        const res = await html(t.http.as(undefined), path);
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, expect.stringContaining('text/html')]);
      }
      const api = await html(t.http.as(undefined), '/api/no-such-route');
      expect(api.status).toBe(404);
      expect(api.body).toMatchObject({ statusCode: 404 });
      expect((await html(t.http.as(undefined), '/api/health')).body).toMatchObject({ status: 'ok' });
      expect((await html(t.http.as(undefined), '/webhooks/twilio/00000000-0000-4000-8000-000000000000')).headers.get('content-type') ?? '').not.toContain('text/html');
      const socket = await t.http.as(undefined).get('/socket.io/?EIO=4&transport=polling');
      expect(socket.status).toBe(200);
      expect(String(socket.body)).toContain('"sid"');
      // A script asking for something that does not exist gets a 404, not HTML.
      expect((await t.http.as(undefined).request('GET', '/nothing.js', undefined, { accept: '*/*' })).status).toBe(404);
    });
  });
});
