import { Logger } from '@nestjs/common';

/**
 * A background worker's loop: run a round, sleep as long as the round says (until the next due
 * instant), wake early when told that new work arrived, and stop cleanly, waiting for the round in
 * flight. A failed round is logged and retried after `errorDelayMs`.
 */
export class WakeableLoop {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  // A wake that came while a round ran: that round may have looked before the new work arrived.
  private wokenDuringRound = false;

  constructor(
    private readonly logger: Logger,
    /** One round; returns how long to sleep before the next (0: go on at once). */
    private readonly round: () => Promise<number>,
    private readonly errorDelayMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenDuringRound = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay: number;
      this.wokenDuringRound = false;
      try {
        delay = await this.round();
        if (this.wokenDuringRound) delay = 0;
      } catch (error) {
        this.logger.error({ err: error }, 'background round failed; retrying');
        delay = this.errorDelayMs;
      }
      if (delay > 0 && this.running) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
