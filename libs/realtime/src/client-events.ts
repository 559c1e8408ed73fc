import { Logger } from '@nestjs/common';
import { DomainException } from '@pasokh/common';
import { RateLimiter } from './rate-limiter';

/** Acknowledgement of a client event: `ok` with the event's own fields, or an error with a code. */
export type Ack<T extends object = object> = ({ ok: true } & T) | Failure;
export type Failure = { ok: false; error: { code: string; message: string } };

export function fail(code: string, message: string): Failure {
  return { ok: false, error: { code, message } };
}

/**
 * Runs client events of a namespace: a token bucket per socket (a client that keeps hammering after
 * being told to slow down is cut off), and every failure turned into an error acknowledgement, so a
 * bad event never throws in the gateway.
 */
export class ClientEvents<S extends { disconnect(close?: boolean): unknown }> {
  private readonly limiters = new WeakMap<S, RateLimiter>();

  constructor(
    private readonly logger: Logger,
    private readonly limit: { burst: number; perSecond: number; maxRejected: number },
  ) {}

  async run<T extends object>(socket: S, work: () => Promise<Ack<T>>): Promise<Ack<T>> {
    let limiter = this.limiters.get(socket);
    if (!limiter) this.limiters.set(socket, (limiter = new RateLimiter(this.limit.burst, this.limit.perSecond)));
    if (!limiter.take()) {
      if (limiter.rejected > this.limit.maxRejected) socket.disconnect(true);
      return fail('RATE_LIMITED', 'too many events; slow down');
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainException) return fail(error.code, error.message);
      this.logger.error({ err: error }, 'client event failed');
      return fail('INTERNAL_ERROR', 'the event could not be handled');
    }
  }
}
