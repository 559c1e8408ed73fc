import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to embedded mode on port 3000 with ./data', () => {
    const config = loadConfig({}, '/srv/pasokh');
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toBe('/srv/pasokh/data');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.roles).toEqual(['api', 'workers']);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ROLES: 'api,cron' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT must be an integer');
    expect(message).toContain('DATABASE_URL must be a URL');
    expect(message).toContain('LOG_LEVEL must be one of');
    expect(message).toContain('ROLES must be a comma-separated list');
  });

  it('never echoes a database URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url with s3cret' })).toThrow(/^(?![\s\S]*s3cret)/);
  });

  it('requires a shared secret key with DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/PASOKH_SECRET_KEY is required/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x', PASOKH_SECRET_KEY: key }).secretKey).toEqual(Buffer.alloc(32, 7));
  });

  it('rejects a key of the wrong size and a half-configured admin', () => {
    expect(() => loadConfig({ PASOKH_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/PASOKH_SECRET_KEY must be 32 bytes/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.c' })).toThrow(/ADMIN_PASSWORD must be at least 8/);
  });
});
