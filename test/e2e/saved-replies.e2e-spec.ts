import { startTestServer, TestServer } from '../support/test-server';

describe('saved replies (/api/saved-replies)', () => {
  let t: TestServer;
  const tokenOf = async (role: string) => {
    const email = `${role}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    await t.http.post('/api/agents', { name: role, email, password: 'agent-password', role });
    return (await t.http.post('/api/auth/login', { email, password: 'agent-password' })).body.accessToken as string;
  };

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('is kept by supervisors and admins, used by every agent, and searched with Persian and Arabic forms folded', async () => {
    const supervisor = t.http.as(await tokenOf('supervisor'));
    const agent = t.http.as(await tokenOf('agent'));

    const created = await supervisor.post('/api/saved-replies', { shortcut: 'ارسال', title: 'زمان ارسال', text: 'سلام {{customer.name}}، سفارش‌ها ۲ روزه می‌رسند.' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), shortcut: 'ارسال', title: 'زمان ارسال', updatedAt: expect.any(String) });
    expect((await t.http.post('/api/saved-replies', { shortcut: 'refund', title: 'Refunds', text: 'Refunds take 5 days.' })).status).toBe(201);

    // Agents read them, cannot change them.
    const all = (await agent.get('/api/saved-replies')).body.items;
    expect(all.map((r: any) => r.shortcut)).toEqual(['refund', 'ارسال']);
    expect((await agent.post('/api/saved-replies', { shortcut: 'x', title: 'x', text: 'x' })).status).toBe(403);
    expect((await agent.patch(`/api/saved-replies/${created.body.id}`, { title: 'y' })).status).toBe(403);
    expect((await agent.delete(`/api/saved-replies/${created.body.id}`)).status).toBe(403);

    // Typed without the zero-width non-joiner, with a Latin digit, or with Arabic yeh: the Persian text is found.
    const search = async (q: string) => (await agent.get(`/api/saved-replies?q=${encodeURIComponent(q)}`)).body.items.map((r: any) => r.shortcut);
    expect(await search('سفارشها 2')).toEqual(['ارسال']);
    expect(await search('مي‌رسند')).toEqual(['ارسال']);
    expect(await search('refund')).toEqual(['refund']);
    expect(await search('nothing like this')).toEqual([]);
  });

  it('refuses a taken shortcut (any case), a bad shortcut or an empty text, and edits and deletes', async () => {
    const first = await t.http.post('/api/saved-replies', { shortcut: 'Hours', title: 'Opening hours', text: 'Sat–Wed 9–17.' });
    expect(first.status).toBe(201);
    const taken = await t.http.post('/api/saved-replies', { shortcut: 'hours', title: 'x', text: 'x' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SAVED_REPLY_SHORTCUT_TAKEN');
    expect((await t.http.post('/api/saved-replies', { shortcut: 'two words', title: 'x', text: 'x' })).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.post('/api/saved-replies', { shortcut: 'empty', title: 'x', text: '' })).status).toBe(400);

    const edited = await t.http.patch(`/api/saved-replies/${first.body.id}`, { text: 'Sat–Wed 9–18, Thu 9–13.' });
    expect(edited.body).toMatchObject({ shortcut: 'Hours', title: 'Opening hours', text: 'Sat–Wed 9–18, Thu 9–13.' });
    expect((await t.http.get('/api/saved-replies?q=thu')).body.items.map((r: any) => r.id)).toEqual([first.body.id]);

    expect((await t.http.delete(`/api/saved-replies/${first.body.id}`)).status).toBe(204);
    expect((await t.http.delete(`/api/saved-replies/${first.body.id}`)).body.code).toBe('SAVED_REPLY_NOT_FOUND');
    expect((await t.http.patch(`/api/saved-replies/${first.body.id}`, { title: 'z' })).status).toBe(404);
    expect((await t.http.get('/api/saved-replies?q=hours')).body.items).toEqual([]);
  });
});
