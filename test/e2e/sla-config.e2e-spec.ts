import { startTestServer, TestServer } from '../support/test-server';

const IRAN_WEEK = {
  sat: [['08:00', '16:00']],
  sun: [['08:00', '16:00']],
  mon: [['08:00', '16:00']],
  tue: [['08:00', '16:00']],
  wed: [['08:00', '16:00']],
  thu: [['08:00', '12:00']],
  fri: [],
};

const NOWRUZ_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'SUMMARY:Nowruz',
  'DTSTART;VALUE=DATE:20270321',
  'DTEND;VALUE=DATE:20270325',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('business calendars and SLA policies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('creates a calendar with several windows, a Friday weekend and holidays, and imports holidays from iCal', async () => {
    const created = await t.http.post('/api/calendars', { name: 'Tehran office', timezone: 'Asia/Tehran', weekly: IRAN_WEEK, holidays: ['2027-04-01'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Tehran office', timezone: 'Asia/Tehran', holidays: ['2027-04-01'] });
    expect(created.body.weekly.fri).toEqual([]);
    expect(created.body.weekly.thu).toEqual([['08:00', '12:00']]);

    const imported = await t.http.request('POST', `/api/calendars/${created.body.id}/holidays/import`, NOWRUZ_ICS, { 'content-type': 'text/calendar' });
    expect(imported.status).toBe(201);
    expect(imported.body.holidays).toEqual(['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24', '2027-04-01']);
    expect((await t.http.get('/api/calendars')).body.items.map((c: { name: string }) => c.name)).toContain('Tehran office');
  });

  it.each([
    [{ timezone: 'Mars/Olympus', weekly: IRAN_WEEK }, 'timezone'],
    [{ timezone: 'UTC', weekly: { mon: [['09:00', '25:00']] } }, 'weekly.mon'],
    [{ timezone: 'UTC', weekly: { mon: [['09:00', '12:00'], ['11:00', '13:00']] } }, 'weekly.mon'],
    [{ timezone: 'UTC', weekly: { funday: [['09:00', '12:00']] } }, 'funday'],
    [{ timezone: 'UTC', weekly: { mon: [['09:00', '17:00']] }, holidays: ['21 March'] }, 'holidays'],
  ])('refuses an invalid calendar %#, naming %s', async (calendar, field) => {
    const res = await t.http.post('/api/calendars', { name: `bad ${Math.random()}`, ...calendar });
    expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_CALENDAR' });
    expect(res.body.message).toContain(field);
  });

  it('keeps policies in evaluation order with their match, targets and calendar', async () => {
    const calendar = (await t.http.post('/api/calendars', { name: 'Berlin', timezone: 'Europe/Berlin', weekly: { mon: [['09:00', '17:00']] } })).body;
    const vip = await t.http.post('/api/sla/policies', {
      name: 'VIP',
      match: { tier: 'vip', priority: ['high', 'urgent'] },
      firstResponseSec: 900,
      resolutionSec: 14_400,
      calendarId: calendar.id,
      warnPercent: 80,
    });
    expect(vip.status).toBe(201);
    expect(vip.body).toMatchObject({ position: 0, match: { tier: ['vip'], priority: ['high', 'urgent'] }, calendarId: calendar.id, nextResponseSec: null });
    const rest = await t.http.post('/api/sla/policies', { name: 'Everyone', firstResponseSec: 3600, nextResponseSec: 7200, warnBeforeSec: 600 });
    expect(rest.body).toMatchObject({ position: 1, match: {}, calendarId: null });
    expect((await t.http.get('/api/sla/policies')).body.items.map((p: { name: string }) => p.name)).toEqual(['VIP', 'Everyone']);

    expect((await t.http.post('/api/sla/policies', { name: 'empty' })).body.code).toBe('INVALID_POLICY');
    expect((await t.http.post('/api/sla/policies', { name: 'x', firstResponseSec: 60, match: { colour: 'red' } })).body.code).toBe('INVALID_POLICY');
    expect((await t.http.post('/api/sla/policies', { name: 'x', firstResponseSec: 60, calendarId: '00000000-0000-4000-8000-000000000000' })).body.code).toBe('CALENDAR_NOT_FOUND');
    const audit = await t.db.database.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('sla_policy.created', 'calendar.created')`);
    expect(audit[0].n).toBeGreaterThanOrEqual(4);
  });

  it('lets only admins and supervisors change SLA settings', async () => {
    await t.http.post('/api/agents', { name: 'Agent', email: 'sla-agent@example.com', password: 'agent-password', role: 'agent' });
    const token = (await t.http.post('/api/auth/login', { email: 'sla-agent@example.com', password: 'agent-password' })).body.accessToken;
    expect((await t.http.as(token).post('/api/sla/policies', { name: 'mine', firstResponseSec: 60 })).status).toBe(403);
    expect((await t.http.as(token).get('/api/sla/policies')).status).toBe(200);
  });
});
