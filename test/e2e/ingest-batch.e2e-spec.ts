import { randomUUID } from 'node:crypto';
import { ChannelsService, InboundMessage, ResolvedChannel } from '@pasokh/channel-core';
import { IngestBatcher, IngestRepository, IngestService } from '@pasokh/ingest';
import { ApiChannel, createApiChannel, startTestServer, TestServer } from '../support/test-server';

/** Group commit (IngestBatcher): messages that wait together go as one statement, each with its own outcome. */
describe('ingest batches', () => {
  let t: TestServer;
  let channel: ApiChannel;
  let resolved: ResolvedChannel;
  let ingest: IngestService;
  let repository: IngestRepository;

  beforeAll(async () => {
    t = await startTestServer();
    channel = await createApiChannel(t.http);
    resolved = (await t.server.app.get(ChannelsService).resolve(channel.id)).channel;
    ingest = t.server.app.get(IngestService);
    repository = t.server.app.get(IngestRepository);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const message = (id: string, sender: string): InboundMessage => ({ externalMessageId: id, from: { externalId: sender, name: `Customer ${sender}` }, text: `text of ${id}` });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.database.dataSource.query(sql, params))[0].count);

  it('stores messages that arrive together with one statement, each in its own ticket and customer', async () => {
    const statements = jest.spyOn(repository, 'ingestBatch');

    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => ingest.ingest(resolved, message(`together-${i}`, `together-sender-${i % 4}`))));

    expect(statements).toHaveBeenCalledTimes(1);
    expect(statements.mock.calls[0][0]).toHaveLength(12);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(12);
    expect(new Set(results.map((r) => r.customerId)).size).toBe(4);
    expect(new Set(results.map((r) => r.ticketId)).size).toBe(4);
    expect(await count(`SELECT count(*) FROM messages WHERE external_message_id LIKE 'together-%'`)).toBe(12);
    // Messages of one sender keep their arrival order inside the batch.
    const order = await t.db.database.dataSource.query(
      `SELECT external_message_id FROM messages WHERE external_message_id LIKE 'together-%' AND ticket_id = $1 ORDER BY created_at`,
      [results[1].ticketId],
    );
    expect(order.map((r: { external_message_id: string }) => r.external_message_id)).toEqual(['together-1', 'together-5', 'together-9']);
  });

  it('splits messages that wait together into statements of at most 4 MB of text', async () => {
    const statements = jest.spyOn(repository, 'ingestBatch');
    const long = (id: string): InboundMessage => ({ ...message(id, `long-sender-${id}`), text: `${id} `.padEnd(1_500_000, 'x') });

    const results = await Promise.all(['long-1', 'long-2', 'long-3'].map((id) => ingest.ingest(resolved, long(id))));

    expect(statements.mock.calls.map(([batch]) => batch.length)).toEqual([2, 1]);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(await count(`SELECT count(*) FROM messages WHERE external_message_id LIKE 'long-%' AND length(text) = 1500000`)).toBe(3);
  });

  it('answers a twin inside the same batch as a duplicate of the first', async () => {
    const [first, twin] = await Promise.all([ingest.ingest(resolved, message('twin-1', 'twin-sender')), ingest.ingest(resolved, message('twin-1', 'twin-sender'))]);

    expect(first.duplicate).toBe(false);
    expect(twin).toEqual({ ...first, duplicate: true });
    expect(await count(`SELECT count(*) FROM messages WHERE external_message_id = 'twin-1'`)).toBe(1);
  });

  it('rolls back a failing message alone: the rest of its batch is stored', async () => {
    const batcher = t.server.app.get(IngestBatcher);
    const statements = jest.spyOn(repository, 'ingestBatch');
    const params = (id: string, channelId: string) => ({
      channelId, channelType: 'api', externalMessageId: id, senderId: `alone-${id}`, name: null, email: null, phone: null, nameSearch: null,
      customerSearch: '', text: id, html: null, subject: null, threadKey: null, sentAt: null, ticketSearch: id, reopenWindowSec: 3600, attachments: [],
    });

    const outcomes = await Promise.allSettled([
      batcher.submit(params('alone-ok-1', channel.id)),
      batcher.submit(params('alone-bad', randomUUID())), // no such channel: a foreign-key violation
      batcher.submit(params('alone-ok-2', channel.id)),
    ]);

    expect(statements).toHaveBeenCalledTimes(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    expect(await count(`SELECT count(*) FROM messages WHERE external_message_id IN ('alone-ok-1', 'alone-ok-2', 'alone-bad')`)).toBe(2);
    expect(await count(`SELECT count(*) FROM customer_identities WHERE external_id = 'alone-alone-bad'`)).toBe(0);
  });

  it('moves the SLA clocks of every message of a batch in the batch’s transaction', async () => {
    const policy = await t.http.post('/api/sla/policies', { name: 'Everyone', firstResponseSec: 3600, resolutionSec: 86_400, position: 0 });
    expect(policy.status).toBe(201);
    const statements = jest.spyOn(repository, 'ingestBatch');

    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ingest.ingest(resolved, message(`sla-batch-${i}`, `sla-batch-sender-${i}`))));

    expect(statements).toHaveBeenCalledTimes(1);
    const due = await t.db.database.dataSource.query(`SELECT sla_policy_id, first_response_due_at FROM tickets WHERE id = ANY($1::uuid[])`, [results.map((r) => r.ticketId)]);
    expect(due).toHaveLength(6);
    for (const row of due) {
      expect(row.sla_policy_id).toBe(policy.body.id);
      expect(row.first_response_due_at).not.toBeNull();
    }
  });
});
