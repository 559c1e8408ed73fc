import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM for channel secrets at rest. Format: v1.<iv>.<tag>.<ciphertext>, base64url. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open<T>(sealed: string): T {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1') throw new Error(`unknown secret format ${version}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

/** Splits a config into its public part and the values at `secretPaths`. */
export function splitSecrets(config: Record<string, unknown>, secretPaths: readonly string[]) {
  const publicPart = structuredClone(config);
  const secrets: Record<string, unknown> = {};
  for (const path of secretPaths) {
    const keys = path.split('.');
    let node: Record<string, unknown> | undefined = publicPart;
    for (const key of keys.slice(0, -1)) node = node?.[key] as Record<string, unknown> | undefined;
    const last = keys[keys.length - 1];
    if (node && node[last] !== undefined) {
      secrets[path] = node[last];
      delete node[last];
    }
  }
  return { publicPart, secrets };
}

export function mergeSecrets(publicPart: Record<string, unknown>, secrets: Record<string, unknown>): Record<string, unknown> {
  const config = structuredClone(publicPart);
  for (const [path, value] of Object.entries(secrets)) {
    const keys = path.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  }
  return config;
}
