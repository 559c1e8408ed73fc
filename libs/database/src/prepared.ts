import { EntityManager } from 'typeorm';

/** A statement run often enough that PostgreSQL should parse and plan it once per connection. */
export interface PreparedStatement {
  /** Unique per text: pg refuses one name with two texts on a connection. */
  readonly name: string;
  readonly text: string;
}

/**
 * Runs `statement` as a named prepared statement on `manager`'s connection (its transaction's, if
 * it has one). Unnamed statements are planned on every call: for the ticket view behind every push
 * that planning cost more PostgreSQL CPU than the ingest itself (test/bench/ingest/README.md).
 * TypeORM hands its query argument to pg's client.query unchanged, and pg takes a query config
 * there, so errors, transactions and result rows stay TypeORM's.
 */
export function queryPrepared<T>(manager: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  return manager.query({ name: statement.name, text: statement.text } as unknown as string, values);
}
