import { Logger } from '@nestjs/common';
import { WakeableLoop } from './wakeable-loop';

describe('WakeableLoop', () => {
  const logger = new Logger('test');

  it('sleeps as long as the round says, and a wake cuts the sleep short', async () => {
    const rounds: number[] = [];
    const loop = new WakeableLoop(logger, async () => (rounds.push(Date.now()), 60_000), 1_000);
    loop.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toHaveLength(1);
    loop.wake();
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toHaveLength(2);
    await loop.stop();
  });

  it('runs again at once when woken during a round, which may have looked before the new work came', async () => {
    let rounds = 0;
    let release: () => void = () => undefined;
    const loop = new WakeableLoop(
      logger,
      async () => {
        rounds++;
        if (rounds === 1) await new Promise<void>((r) => (release = r));
        return 60_000;
      },
      1_000,
    );
    loop.start();
    await new Promise((r) => setTimeout(r, 20));
    loop.wake(); // while round 1 runs
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toBe(2);
    // No wake during round 2: it sleeps.
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toBe(2);
    await loop.stop();
  });

  it('waits the error delay after a failed round', async () => {
    const quiet = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    let rounds = 0;
    const loop = new WakeableLoop(logger, async () => {
      rounds++;
      throw new Error('database down');
    }, 60_000);
    loop.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toBe(1);
    expect(quiet).toHaveBeenCalledTimes(1);
    await loop.stop();
    quiet.mockRestore();
  });
});
