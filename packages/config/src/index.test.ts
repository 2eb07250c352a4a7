import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('defaults to the embedded mode on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicOrigin).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('.data')).toBe(true);
    expect(config.secureCookies).toBe(false);
  });

  it('derives the public origin from PORT and normalizes PUBLIC_ORIGIN', () => {
    expect(loadConfig({ PORT: '4100' }).publicOrigin).toBe('http://localhost:4100');
    const config = loadConfig({ PUBLIC_ORIGIN: 'https://forum.example.org/some/path' });
    expect(config.publicOrigin).toBe('https://forum.example.org');
    expect(config.secureCookies).toBe(true);
  });

  it('rejects nonsense with a message that names the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.c' })).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });
});
