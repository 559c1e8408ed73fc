import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { BoundedRecoveryAdapter, RECOVERY_HISTORY_MAX } from './bounded-recovery.adapter';

describe('BoundedRecoveryAdapter', () => {
  let io: Server;

  beforeEach(() => {
    io = new Server(createServer(), { connectionStateRecovery: { maxDisconnectionDuration: 120_000 }, adapter: BoundedRecoveryAdapter });
  });
  afterEach(() => io.close());

  const history = () => (io.of('/agents').adapter as unknown as { packets: Array<{ data: unknown[] }> }).packets;

  it('keeps every broadcast below the bound, for replay', () => {
    for (let i = 0; i < 1_000; i++) io.of('/agents').to('agents').emit('message.created', { n: i });
    expect(history()).toHaveLength(1_000);
  });

  it('keeps at most the bound (plus one trim step), dropping the oldest first', () => {
    const total = RECOVERY_HISTORY_MAX + 2_500;
    for (let i = 0; i < total; i++) io.of('/agents').to('agents').emit('message.created', { n: i });
    const kept = history();
    expect(kept.length).toBeGreaterThanOrEqual(RECOVERY_HISTORY_MAX);
    expect(kept.length).toBeLessThan(RECOVERY_HISTORY_MAX + 1_000);
    expect(kept.at(-1)!.data[1]).toEqual({ n: total - 1 });
    expect(kept[0].data[1]).toEqual({ n: total - kept.length });
  });
});
