import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@pasokh/config';

/**
 * Embedded mode needs no setup: without PASOKH_SECRET_KEY a key is generated once into
 * DATA_DIR/secret.key (mode 0600) and reused. Losing that file loses the channel secrets.
 */
export function resolveSecretKey(config: AppConfig): Buffer {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) throw new Error('PASOKH_SECRET_KEY is required with DATABASE_URL');
  const path = join(config.dataDir, 'secret.key');
  try {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
