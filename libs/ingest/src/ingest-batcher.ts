import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { SlaClockService } from '@pasokh/sla';
import { IngestOutcome, IngestParams, IngestRepository, IngestRow } from './ingest.repository';

/** Messages per statement: enough to amortise a round trip and a commit, small enough to hold few locks. */
const MAX_BATCH = 32;
/** Text per statement (the statement's parameter holds every message's text and HTML). */
const MAX_BATCH_CHARS = 4 * 1024 * 1024;
/** An element that lost a deadlock or a serialization race is tried again this many times. */
const MAX_ATTEMPTS = 3;
const RETRYABLE = new Set(['40P01', '40001']);

interface Pending {
  params: IngestParams;
  attempts: number;
  resolve: (row: IngestRow) => void;
  reject: (error: unknown) => void;
}

/** A database error of one element, shaped like the error a single statement would have thrown. */
export class IngestElementError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Group commit for inbound messages. Messages that arrive while earlier batches are in the
 * database wait and go together, as one statement in one transaction, when a batch finishes; a
 * message that arrives on an idle server goes at once, alone. Under load a round trip, a commit and
 * the statement's overhead are shared by many messages (test/bench/ingest/README.md has the
 * numbers); each message still gets its own row, duplicate flag or error, as if it had gone alone.
 */
@Injectable()
export class IngestBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private flushScheduled = false;
  /** Leave half the pool to agents' requests and background work. */
  private readonly maxInFlight: number;

  constructor(
    private readonly repository: IngestRepository,
    private readonly sla: SlaClockService,
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxInFlight = Math.max(1, Math.floor(config.databasePoolSize / 2));
  }

  /** Stores one message (see pasokh_ingest); resolves once its transaction has committed. */
  submit(params: IngestParams): Promise<IngestRow> {
    return new Promise((resolve, reject) => {
      this.queue.push({ params, attempts: 1, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** After the current turn of the event loop, so that messages parsed in the same turn share a batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= this.maxInFlight || !this.queue.length) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      // Messages of one sender stay in arrival order; sorting by sender makes concurrent batches
      // take the senders' locks in one order, so they rarely deadlock.
      const batch = this.queue.splice(0, batchLength(this.queue)).sort((a, b) => compare(senderKey(a.params), senderKey(b.params)));
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.scheduleFlush();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    let outcomes: IngestOutcome[];
    try {
      outcomes = await this.store(batch.map((p) => p.params));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.error_code === null) return pending.resolve(outcome);
      if (RETRYABLE.has(outcome.error_code) && pending.attempts < MAX_ATTEMPTS) {
        this.queue.push({ ...pending, attempts: pending.attempts + 1 });
        return;
      }
      pending.reject(new IngestElementError(outcome.error_code, outcome.error_message));
    });
  }

  /** With SLA policies, the clocks move in the messages' own transaction. */
  private async store(batch: IngestParams[]): Promise<IngestOutcome[]> {
    if (!(await this.sla.anyPolicy())) return this.repository.ingestBatch(batch);
    return this.tx.run(async (tx) => {
      const outcomes = await this.repository.ingestBatch(batch, tx.manager);
      for (const outcome of outcomes) {
        if (outcome.error_code !== null || outcome.duplicate) continue;
        await this.sla.onTicketEvent(tx, outcome.ticket_id, { kind: 'customer_message', at: new Date(), ticketCreated: outcome.ticket_event === 'ticket.created' });
      }
      return outcomes;
    });
  }
}

/** How many of the queue's first messages fit in one statement (at least one). */
function batchLength(queue: Pending[]): number {
  let chars = 0;
  for (let i = 0; i < queue.length && i < MAX_BATCH; i++) {
    chars += queue[i].params.text.length + (queue[i].params.html?.length ?? 0);
    if (chars > MAX_BATCH_CHARS) return Math.max(1, i);
  }
  return Math.min(queue.length, MAX_BATCH);
}

function senderKey(params: IngestParams): string {
  return `${params.channelType}:${params.senderId}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
