import { Database } from '@pasokh/database';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from '../../apps/server/src/entities';

/** Set by global-setup: a migrated template database (server) or data-dir dump (PGlite). */
export const TEMPLATE_ENV = 'PASOKH_TEST_TEMPLATE';

export interface TestDatabase {
  database: Database;
  /** The server database's URL, or null for PGlite. */
  url: string | null;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a copy of the template, so no file sees another's
 * rows and none pays for running the migrations again. Real PostgreSQL either way, never a mock.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set: run the tests through jest (test/support/global-setup.ts)`);
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dump = new Blob([await readFile(template)]);
    const database = await Database.open({ url: null, dataDir: null, loadDataDir: dump, poolSize: 1, entities: ENTITIES, migrations: MIGRATIONS });
    return { database, url: null, drop: () => database.close() };
  }
  const name = `pasokh_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(serverUrl, name);
  const database = await Database.open({ url, dataDir: null, poolSize: 10, entities: ENTITIES, migrations: MIGRATIONS });
  return {
    database,
    url,
    drop: async () => {
      await database.close();
      await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
