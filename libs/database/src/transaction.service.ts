import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A running transaction: its manager, and work to do only once it has committed. */
export interface Tx {
  readonly manager: EntityManager;
  afterCommit(hook: () => unknown): void;
}

@Injectable()
export class TransactionService {
  private readonly logger = new Logger(TransactionService.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction. After-commit hooks run only if it committed, in the order they
   * were added; a failing hook is logged and never undoes the commit.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const hooks: Array<() => unknown> = [];
    const result = await this.dataSource.transaction((manager) => work({ manager, afterCommit: (hook) => hooks.push(hook) }));
    for (const hook of hooks) {
      try {
        await hook();
      } catch (error) {
        this.logger.error({ err: error }, 'after-commit hook failed');
      }
    }
    return result;
  }
}
