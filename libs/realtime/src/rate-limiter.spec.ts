import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  afterEach(() => jest.useRealTimers());

  it('allows a burst up to capacity, then refills over time', () => {
    jest.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter(5, 10);
    expect(Array.from({ length: 7 }, () => limiter.take())).toEqual([true, true, true, true, true, false, false]);
    expect(limiter.rejected).toBe(2);
    jest.setSystemTime(200); // 0.2 s at 10/s = 2 tokens
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([true, true, false]);
  });
});
