import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pasokh/config';
import { DataDirLockedError } from '@pasokh/database';
import { startServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`pasokh: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  let server;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`pasokh: ${error.message}\n`);
      process.exit(75); // EX_TEMPFAIL
    }
    throw error;
  }

  const mode = server.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server';
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: `Pasokh listening on ${config.publicUrl} (${mode})` })}\n`);

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const force = setTimeout(() => process.exit(1), 30_000).unref();
      server
        .close()
        .then(() => {
          clearTimeout(force);
          process.exit(0);
        })
        .catch((error) => {
          process.stderr.write(`pasokh: shutdown failed: ${(error as Error).stack}\n`);
          process.exit(1);
        });
    });
  }
}

main().catch((error) => {
  process.stderr.write(`pasokh: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
