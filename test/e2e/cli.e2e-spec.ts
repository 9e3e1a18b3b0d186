import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const ROOT = join(import.meta.dirname, '../..');

/** `npm run cli -- …` as the README says, on its own database; the environment is the shell's. */
function cli(args: string[], env: Record<string, string>) {
  const started = Date.now();
  const run = spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_EMAIL: '', ADMIN_PASSWORD: '', LOG_LEVEL: '', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { ...run, ms: Date.now() - started };
}

// The README's quick start on SQLite (its default database); the CLI is the same code on both.
describe('npm run cli on a fresh SQLite file, as the README says', () => {
  let dir: string;
  let url: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'specchio-cli-'));
    url = `sqlite:${join(dir, 'specchio.sqlite')}`;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seed-demo fills a fresh database, creating a demo administrator, without route logs', () => {
    const run = cli(['seed-demo'], { DATABASE_URL: url });
    expect(run.stderr).not.toMatch(/no admin exists yet/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /created the demo administrator: sign in at http:\/\/localhost:\d+\/login as demo-admin@example\.com with the password \S{20} /,
    );
    expect(run.stdout).toMatch(/demo company seeded: 21 units/);
    // Nest's start-up and route logs stay out of the CLI's output.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/RouterExplorer|Mapped \{|NestFactory/);
    expect(run.stdout.trim().split('\n').length).toBeLessThan(12);
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    const users = db.prepare('SELECT email, role FROM users').all();
    db.close();
    expect(users).toEqual([{ email: 'demo-admin@example.com', role: 'admin' }]);
  }, 300_000);

  it('create-admin makes a unit manager with --scope-unit, and refuses one without', () => {
    const file = url.slice('sqlite:'.length);
    const read = new Database(file, { readonly: true });
    const unit = read.prepare('SELECT id, code FROM units ORDER BY code LIMIT 1').get() as {
      id: string;
      code: string;
    };
    read.close();
    const password = 'manager password 12';
    const missing = cli(['create-admin', '--email', 'm1@example.com', '--role', 'manager'], {
      DATABASE_URL: url,
      SPECCHIO_PASSWORD: password,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/scopeUnitCode/);
    const unknown = cli(
      ['create-admin', '--email', 'm1@example.com', '--role', 'manager', '--scope-unit', 'NOPE'],
      { DATABASE_URL: url, SPECCHIO_PASSWORD: password },
    );
    expect(unknown.status).toBe(1);
    const made = cli(
      ['create-admin', '--email', 'm1@example.com', '--role', 'manager', '--scope-unit', unit.code],
      { DATABASE_URL: url, SPECCHIO_PASSWORD: password },
    );
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toContain('created manager m1@example.com');
    const db = new Database(file, { readonly: true });
    const row = db
      .prepare("SELECT role, scope_unit_id AS scope FROM users WHERE email = 'm1@example.com'")
      .get();
    db.close();
    expect(row).toEqual({ role: 'manager', scope: unit.id });
  }, 300_000);

  it('runs the built code without compiling when dist/ is current', () => {
    const run = cli(['help'], { DATABASE_URL: url });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('seed-demo');
    expect(run.stderr).not.toContain('compiling');
    // No TypeScript compilation (which takes 20-45 s here): loading the built app is a few seconds.
    expect(run.ms).toBeLessThan(15_000);
    const migrate = cli(['migrate'], { DATABASE_URL: url });
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain('the database is up to date');
  }, 120_000);
});
