import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { DataDirLock } from './data-dir-lock';
import { runMigrations } from './migrator';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** A PostgreSQL server; null runs embedded PostgreSQL (PGlite). */
  url: string | null;
  /** Where PGlite keeps its files; null keeps them in memory (tests). */
  dataDir: string | null;
  /** A PGlite data directory dump to start from instead of an empty cluster (tests' template). */
  loadDataDir?: Blob;
  poolSize: number;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: Function[];
}

/** The open database: the TypeORM DataSource plus what must be closed with it. */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    readonly kind: DatabaseKind,
    /** The server's URL (null for PGlite), for connections that must live outside the pool. */
    readonly url: string | null,
    private readonly pglite: PGlite | null,
    private readonly lock: DataDirLock | null,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    const common = {
      type: 'postgres',
      entities: options.entities,
      migrations: options.migrations,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      logging: false,
    } as const;

    if (options.url) {
      const dataSource = new DataSource({ ...common, url: options.url, poolSize: options.poolSize, applicationName: 'pasokh' } as DataSourceOptions);
      await dataSource.initialize();
      await runMigrations(dataSource);
      return new Database(dataSource, 'postgres', options.url, null, null);
    }

    let lock: DataDirLock | null = null;
    let pglite: PGlite | null = null;
    try {
      if (options.dataDir) {
        lock = DataDirLock.acquire(options.dataDir);
        mkdirSync(join(options.dataDir, 'pgdata'), { recursive: true });
      }
      pglite = await PGlite.create({
        dataDir: options.dataDir ? join(options.dataDir, 'pgdata') : undefined,
        loadDataDir: options.loadDataDir,
      });
      // PGlite is one connection: a pool of one, and every query of a transaction on its manager.
      const dataSource = new DataSource({ ...common, poolSize: 1, extra: createPgConfig(pglite) } as DataSourceOptions);
      await dataSource.initialize();
      await runMigrations(dataSource);
      return new Database(dataSource, 'pglite', null, pglite, lock);
    } catch (error) {
      await pglite?.close().catch(() => undefined);
      lock?.release();
      throw error;
    }
  }

  /** A dump of the embedded cluster (used to give each test file a migrated copy quickly). */
  async dump(): Promise<Blob> {
    if (!this.pglite) throw new Error('only an embedded database can be dumped');
    return (await this.pglite.dumpDataDir('none')) as Blob;
  }

  async close(): Promise<void> {
    try {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
      await this.pglite?.close();
    } finally {
      this.lock?.release();
    }
  }
}
