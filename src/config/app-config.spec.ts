import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.env.PORT).toBe(3000);
    expect(c.databaseKind).toBe('sqlite');
    expect(c.sqlitePath).toBe('./data/specchio.sqlite');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.env.MIN_GROUP_SIZE).toBe(5);
    expect(c.env.FATIGUE_DAYS).toBe(0);
    expect(c.env.SQLITE_SYNCHRONOUS).toBe('FULL');
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).databaseKind).toBe('postgres');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'not a url'],
    ['MIN_GROUP_SIZE', '1'],
    ['SMTP_URL', 'http://mail'],
    ['TRUST_PROXY', 'true'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['METRICS_TOKEN', 'too-short'],
    ['METRICS_TOKEN', 'a token with spaces that is long enough'],
  ])('stops the start on a bad %s, naming the variable', (name, value) => {
    expect(() =>
      loadConfig({
        [name]: value,
        ...(name === 'ADMIN_EMAIL' ? { ADMIN_PASSWORD: 'long enough password' } : {}),
      }),
    ).toThrow(new RegExp(`^Invalid configuration:[\\s\\S]*${name}`));
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.co' })).toThrow(ConfigError);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SMTP_URL: '', PORT: '' }).env.PORT).toBe(3000);
  });
});
