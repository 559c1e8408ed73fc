import { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';

// Any constant works as long as every instance uses the same one.
const MIGRATION_LOCK_KEY = 7_262_011;

/**
 * Runs pending migrations while holding a session-level advisory lock, so two instances starting
 * together never race. The lock and the migrations share one connection, which also keeps PGlite
 * (a single connection) from waiting on itself.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, queryRunner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((m) => m.name);
  } finally {
    await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await queryRunner.release();
  }
}
