/**
 * A token bucket per socket: bursts are fine, a tight loop is not. `take()` is false when the
 * client is over its rate.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  rejected = 0;

  constructor(
    private readonly capacity = 30,
    private readonly perSecond = 15,
  ) {
    this.tokens = capacity;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) {
      this.rejected++;
      return false;
    }
    this.tokens -= 1;
    return true;
  }
}
