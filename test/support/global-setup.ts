import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');

/**
 * Once per `npm test`: build the server (process-level tests run it as users do), and migrate one
 * template database that every test file copies. With DATABASE_URL the template lives on that
 * PostgreSQL server; without it, it is a PGlite data-dir dump on disk.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  // Jest's module mapper does not reach global setup, so it uses the build it just made.
  const { Database } = require(join(ROOT, 'dist/libs/database/src'));
  const { MIGRATIONS } = require(join(ROOT, 'dist/migrations'));
  const { ENTITIES } = require(join(ROOT, 'dist/apps/server/src/entities'));
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `pasokh_template_${process.pid}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = await Database.open({ url: url.toString(), dataDir: null, poolSize: 1, entities: ENTITIES, migrations: MIGRATIONS });
    await db.close(); // a template must have no open connections when it is copied
    process.env.PASOKH_TEST_TEMPLATE = name;
    return;
  }
  const db = await Database.open({ url: null, dataDir: null, poolSize: 1, entities: ENTITIES, migrations: MIGRATIONS });
  const dump = Buffer.from(await (await db.dump()).arrayBuffer());
  await db.close();
  const dir = join(ROOT, '.test-tmp');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `template-${process.pid}.tar`);
  writeFileSync(path, dump);
  process.env.PASOKH_TEST_TEMPLATE = path;
}
