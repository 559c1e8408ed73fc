import { createApiChannel, inbound, startTestServer, TestServer } from '../support/test-server';

describe('response-time reports', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('matches hand-computed figures on a seeded data set, in calendar and business time, as JSON and CSV', async () => {
    const channel = await createApiChannel(t.http);
    const policy = (await t.http.post('/api/sla/policies', { name: 'Any', firstResponseSec: 3600, position: 0 })).body;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await inbound(t.http, channel, { externalMessageId: `r-${i}`, from: { externalId: `r-${i}` }, text: 'x' })).body.ticketId);
    // Seed known times: first responses after 60, 120 and 300 s (business 30, 60, 150 s); resolutions after 1 h, 2 h, none.
    const seed = [
      [60, 30, 3600, 1800, false],
      [120, 60, 7200, 3600, true],
      [300, 150, null, null, false],
    ] as const;
    for (const [i, [fr, frBiz, res, resBiz, breached]] of seed.entries()) {
      await t.db.database.dataSource.query(
        `UPDATE tickets SET created_at = '2027-05-10T08:00:00Z', first_response_at = timestamptz '2027-05-10T08:00:00Z' + make_interval(secs => $2),
                first_response_business_sec = $3, resolved_at = timestamptz '2027-05-10T08:00:00Z' + make_interval(secs => $4),
                resolution_business_sec = $5, sla_breached = $6, sla_policy_id = CASE WHEN $7 THEN $8::uuid END
          WHERE id = $1`,
        [ids[i], fr, frBiz, res, resBiz, breached, i < 2, policy.id],
      );
    }
    // Satisfaction: all three asked; ratings 5 and 2; the third never answered.
    for (const [i, score] of [5, 2, null].entries()) {
      await t.db.database.dataSource.query(
        `INSERT INTO csat_surveys (ticket_id, channel_id, message_id, score)
         SELECT t.id, t.channel_id, (SELECT m.id FROM messages m WHERE m.ticket_id = t.id LIMIT 1), $2 FROM tickets t WHERE t.id = $1`,
        [ids[i], score],
      );
    }
    const report = await t.http.get(`/api/reports/response-times?from=2027-05-01T00:00:00Z&to=2027-06-01T00:00:00Z&groupBy=channel`);
    expect(report.status).toBe(200);
    const row = report.body.rows.find((r: { key: string }) => r.key === channel.id);
    expect(row).toEqual({
      key: channel.id,
      label: expect.any(String),
      tickets: 3,
      firstResponseSec: { p50: 120, p90: 264, avg: 160 }, // p90 = 120 + 0.8 × (300 − 120)
      firstResponseBusinessSec: { p50: 60, p90: 132, avg: 80 },
      resolutionSec: { p50: 5400, p90: 6840, avg: 5400 },
      resolutionBusinessSec: { p50: 2700, p90: 3420, avg: 2700 },
      slaMetRatio: 0.5, // two tickets under a policy, one breached
      csat: { surveys: 3, responses: 2, average: 3.5, satisfiedRatio: 0.5 },
    });

    const byDay = await t.http.get(`/api/reports/response-times?from=2027-05-01T00:00:00Z&to=2027-06-01T00:00:00Z&groupBy=day&timezone=Asia/Tehran`);
    expect(byDay.body.rows.map((r: { key: string; tickets: number }) => [r.key, r.tickets])).toEqual([['2027-05-10', 3]]);

    const csv = await fetch(`${t.url}/api/reports/response-times?from=2027-05-01T00:00:00Z&to=2027-06-01T00:00:00Z&groupBy=channel&format=csv`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toContain('first_response_p50_sec');
    expect(lines[0]).toContain('csat_average');
    expect(lines.find((l) => l.startsWith(channel.id))).toContain(',3,120,264,160,60,132,80,5400,6840,5400,2700,3420,2700,0.5,3,2,3.5,0.5');
  });

  it('refuses bad ranges and zones, and agents', async () => {
    expect((await t.http.get('/api/reports/response-times?from=2027-06-01T00:00:00Z&to=2027-05-01T00:00:00Z')).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/reports/response-times?groupBy=day&timezone=Mars/Base')).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/reports/response-times?groupBy=moon')).body.code).toBe('VALIDATION_FAILED');
    await t.http.post('/api/agents', { name: 'A', email: 'report-agent@example.com', password: 'agent-password', role: 'agent' });
    const token = (await t.http.post('/api/auth/login', { email: 'report-agent@example.com', password: 'agent-password' })).body.accessToken;
    expect((await t.http.as(token).get('/api/reports/response-times')).status).toBe(403);
    expect((await t.http.as(token).get('/api/reports/agent-load')).status).toBe(403);
  });

  it('counts open work per assignee in one answer: open, pending and snoozed; breached and at risk', async () => {
    const channel = await createApiChannel(t.http);
    const agent = (await t.http.post('/api/agents', { name: 'Load', email: 'load-agent@example.com', password: 'agent-password', role: 'agent' })).body;
    const before = (await t.http.get('/api/reports/agent-load')).body.rows as Array<{ assigneeId: string | null; open: number; breached: number; atRisk: number }>;
    const unassignedBefore = before.find((r) => r.assigneeId === null) ?? { open: 0, breached: 0, atRisk: 0 };
    const ticket = async (i: number) => (await inbound(t.http, channel, { externalMessageId: `load-${i}`, from: { externalId: `load-${i}` }, text: 'x' })).body.ticketId as string;
    const ids = await Promise.all([0, 1, 2, 3, 4, 5].map(ticket));
    const set = (id: string, fields: string) => t.db.database.dataSource.query(`UPDATE tickets SET ${fields} WHERE id = $1`, [id]);
    await set(ids[0], `assignee_id = '${agent.id}', status = 'open', sla_state = 'breached'`);
    await set(ids[1], `assignee_id = '${agent.id}', status = 'pending', sla_state = 'at_risk'`);
    await set(ids[2], `assignee_id = '${agent.id}', status = 'snoozed', snoozed_until = now() + interval '1 day'`);
    await set(ids[3], `assignee_id = '${agent.id}', status = 'resolved', resolved_at = now(), sla_state = 'breached'`);
    await set(ids[4], `status = 'closed'`);
    // ids[5] stays open and unassigned.

    const res = await t.http.get('/api/reports/agent-load');
    expect(res.status).toBe(200);
    const rows = res.body.rows as typeof before;
    expect(rows.find((r) => r.assigneeId === agent.id)).toEqual({ assigneeId: agent.id, open: 3, breached: 1, atRisk: 1 });
    expect(rows.find((r) => r.assigneeId === null)).toEqual({ assigneeId: null, open: unassignedBefore.open + 1, breached: unassignedBefore.breached, atRisk: unassignedBefore.atRisk });
  });
});
