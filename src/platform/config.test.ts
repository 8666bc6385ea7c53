import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseByteSize } from './config.js';
import { ConfigError } from './errors.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to SQLite under ./data on port 8080', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.database).toEqual({ dialect: 'sqlite', file: path.join(path.resolve('./data'), 'clearinghouse.sqlite') });
    expect(config.blobs).toBe('fs');
    expect(config.bodyLimitBytes).toBe(10 * 1024 * 1024);
    expect(config.adminToken).toBeNull();
    expect(config.logLevel).toBe('info');
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config).toMatchObject({ authFailureLimit: 20, authFailureWindowSeconds: 900, trustProxy: false });
  });

  it('reads the proxies to trust for the client address', () => {
    expect(loadConfig({ CLEARINGHOUSE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
  });

  it('reads the public URL that links sent out are built on', () => {
    expect(loadConfig({ CLEARINGHOUSE_PUBLIC_URL: 'https://ch.example.gov/' }).publicUrl).toBe('https://ch.example.gov');
    expect(loadConfig({ CLEARINGHOUSE_PUBLIC_URL: 'https://ch.example.gov/base/' }).publicUrl).toBe('https://ch.example.gov/base');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).publicUrl).toBe('http://127.0.0.1:9000');
  });

  it('selects PostgreSQL from a postgres:// DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db.example:5432/ch', CLEARINGHOUSE_BLOBS: 'db' });
    expect(config.database).toMatchObject({ dialect: 'postgres', url: 'postgres://u@db.example:5432/ch' });
    expect(config.blobs).toBe('db');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CLEARINGHOUSE_BLOBS: 's3' }, 'CLEARINGHOUSE_BLOBS'],
    [{ CLEARINGHOUSE_BLOBS: 'db' }, 'CLEARINGHOUSE_BLOBS'],
    [{ CLEARINGHOUSE_ADMIN_TOKEN: 'short' }, 'CLEARINGHOUSE_ADMIN_TOKEN'],
    [{ CLEARINGHOUSE_ADMIN_TOKEN: 'has spaces in it which are not allowed at all' }, 'CLEARINGHOUSE_ADMIN_TOKEN'],
    [{ CLEARINGHOUSE_BODY_LIMIT: 'huge' }, 'CLEARINGHOUSE_BODY_LIMIT'],
    [{ CLEARINGHOUSE_BODY_LIMIT: '10' }, 'CLEARINGHOUSE_BODY_LIMIT'],
    [{ CLEARINGHOUSE_RATE_LIMIT: '0' }, 'CLEARINGHOUSE_RATE_LIMIT'],
    [{ HOST: 'two words' }, 'HOST'],
    [{ CLEARINGHOUSE_AUTH_FAILURE_LIMIT: 'many' }, 'CLEARINGHOUSE_AUTH_FAILURE_LIMIT'],
    [{ CLEARINGHOUSE_AUTH_FAILURE_WINDOW: '0' }, 'CLEARINGHOUSE_AUTH_FAILURE_WINDOW'],
    [{ CLEARINGHOUSE_BACKLOG_LIMIT: 'lots' }, 'CLEARINGHOUSE_BACKLOG_LIMIT'],
    [{ CLEARINGHOUSE_BACKLOG_LIMIT: '-1' }, 'CLEARINGHOUSE_BACKLOG_LIMIT'],
    [{ CLEARINGHOUSE_BACKLOG_CHECK_MS: '100000' }, 'CLEARINGHOUSE_BACKLOG_CHECK_MS'],
    [{ CLEARINGHOUSE_TRUST_PROXY: 'proxy.internal' }, 'CLEARINGHOUSE_TRUST_PROXY'],
    [{ CLEARINGHOUSE_PUBLIC_URL: 'ftp://ch.example.gov' }, 'CLEARINGHOUSE_PUBLIC_URL'],
    [{ CLEARINGHOUSE_PUBLIC_URL: 'https://ch.example.gov/?x=1' }, 'CLEARINGHOUSE_PUBLIC_URL'],
    [{ CLEARINGHOUSE_PUBLIC_URL: 'not a url' }, 'CLEARINGHOUSE_PUBLIC_URL'],
  ])('rejects %o naming %s', (env, variable) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it('loads the CSAF validator at start unless told not to, and refuses a value it does not know', () => {
    expect(loadConfig({}).warmCsafValidator).toBe(true);
    expect(loadConfig({ CLEARINGHOUSE_CSAF_WARM: '0' }).warmCsafValidator).toBe(false);
    expect(loadConfig({ CLEARINGHOUSE_CSAF_WARM: 'false' }).warmCsafValidator).toBe(false);
    expect(loadConfig({ CLEARINGHOUSE_CSAF_WARM: '1' }).warmCsafValidator).toBe(true);
    expect(() => loadConfig({ CLEARINGHOUSE_CSAF_WARM: 'sometimes' })).toThrow(
      /CLEARINGHOUSE_CSAF_WARM must be 1, 0, true or false, got "sometimes"/,
    );
  });

  it('reads sizes with units', () => {
    expect(parseByteSize('512k')).toBe(512 * 1024);
    expect(parseByteSize('10MiB')).toBe(10 * 1024 * 1024);
    expect(parseByteSize('2 mb')).toBe(2 * 1024 * 1024);
    expect(parseByteSize('1g')).toBe(1024 ** 3);
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize('ten')).toBeUndefined();
    expect(parseByteSize('5 parsecs')).toBeUndefined();
  });
});
