import { parseArgs } from 'node:util';
import { createApp } from '../app.factory.js';
import { AuthService } from '../auth/auth.service.js';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config.js';
import { newToken } from '../common/crypto.js';
import { DomainError } from '../common/domain-error.js';
import { runMigrations } from '../database/migrate.js';
import { backupSqlite, BackupError, restoreSqlite } from '../database/sqlite-backup.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { seedDemo } from './seed-demo.js';
import { ROLES, type Role } from '../domain/roles.js';

/** The administrator seed-demo creates on a database that has no user yet. */
const DEMO_ADMIN = 'demo-admin@example.com';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                                   apply pending database migrations
  create-admin --email E --password P       create a user (role admin unless --role is given)
               [--role admin|analyst|manager] the password may also come from SPECCHIO_PASSWORD;
               [--scope-unit CODE]          a manager sees the subtree of the unit CODE (required
                                            for managers, refused for the other roles)
  seed-demo [--seed N] [--email E --password P]
                                            fill the database with a realistic demo company:
                                            a unit tree, internal and external contacts, two waves
                                            of an internal and an external campaign, with answers;
                                            on a database with no user yet it creates the admin
                                            given (or ${DEMO_ADMIN} with a password it prints)
  backup <file> [--force]                   SQLite: an online, consistent copy of the database
                                            (while Specchio keeps answering), mode 0600, checked;
                                            --force replaces an existing file
  restore <file> [--force]                  SQLite: puts a backup in place of the database of
                                            DATABASE_URL; a database that already exists is
                                            replaced only with --force, never while Specchio
                                            runs on it (stop it, restore, start it)
                                            PostgreSQL: use pg_dump -Fc and pg_restore (README)
`;

/** The PostgreSQL counterpart of backup and restore, printed when DATABASE_URL is postgres://. */
const PG_BACKUP = `On PostgreSQL, back up and restore with the PostgreSQL tools (README, "Backups"):
  pg_dump -Fc -f specchio.dump "$DATABASE_URL"
  pg_restore --no-owner --exit-on-error -d "$NEW_DATABASE_URL" specchio.dump`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      'scope-unit': { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (!command || values.help || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  if (command === 'backup' || command === 'restore') {
    // Before the migrations: a backup reads the database as it is, a restore may have none yet.
    if (positionals.length !== 1) throw new Error(`${command} needs exactly one <file>`);
    if (config.databaseKind !== 'sqlite') {
      console.error(PG_BACKUP);
      return 1;
    }
    const run = command === 'backup' ? backupSqlite : restoreSqlite;
    const [from, to] =
      command === 'backup'
        ? [config.sqlitePath, positionals[0]]
        : [positionals[0], config.sqlitePath];
    const done = await run(from, to, { force: values.force });
    console.log(
      `${command === 'backup' ? 'backed up' : 'restored'} ${done.responses} responses into ` +
        `${done.file} (${(done.bytes / 1048576).toFixed(1)} MiB, integrity ok) in ${done.ms} ms`,
    );
    return 0;
  }
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
  const applied = await runMigrations(config);
  if (command === 'migrate') {
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  }
  if (command !== 'create-admin' && command !== 'seed-demo') {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 1;
  }
  // The CLI prints its own results: Nest's start-up and route logs only at debug or verbose.
  const quiet = ['debug', 'verbose'].includes(config.env.LOG_LEVEL)
    ? config
    : new AppConfig({ ...config.env, LOG_LEVEL: 'warn' });
  const app = await createApp(quiet);
  await app.init();
  try {
    if (command === 'create-admin') {
      const email = values.email;
      const password = values.password ?? process.env.SPECCHIO_PASSWORD;
      const role = (values.role ?? 'admin') as Role;
      if (!email || !password)
        throw new Error('create-admin needs --email and --password (or SPECCHIO_PASSWORD)');
      if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      const user = await app
        .get(UsersService)
        .create(email, password, role, values['scope-unit'] ?? null);
      console.log(`created ${user.role} ${user.email}`);
      return 0;
    }
    const users = app.get(UsersRepository);
    const existing = await users.list();
    let admin = existing.find((u) => u.role === 'admin');
    if (!admin) {
      const email = values.email ?? config.env.ADMIN_EMAIL;
      const password = values.password ?? config.env.ADMIN_PASSWORD;
      if (email && password) {
        admin = await app.get(UsersService).create(email, password, 'admin');
        console.log(`created admin ${admin.email}`);
      } else if (existing.length === 0) {
        // A fresh database (README quick start): a demo administrator whose password is shown once.
        const demoPassword = newToken().slice(0, 20);
        admin = await app.get(UsersService).setUpFirstAdmin(DEMO_ADMIN, demoPassword);
        console.log(
          `created the demo administrator: sign in at ${config.publicUrl}/login as ${admin.email} ` +
            `with the password ${demoPassword} (shown only now)`,
        );
      } else {
        throw new Error(
          'no admin exists yet: pass --email and --password (or set ADMIN_EMAIL / ADMIN_PASSWORD)',
        );
      }
    }
    const { secret } = await app.get(AuthService).issueApiToken(admin);
    const summary = await seedDemo(app, secret, Number(values.seed ?? 42));
    console.log(summary);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof BackupError) console.error(err.message);
    else if (err instanceof DomainError)
      console.error(
        `${err.message}${err.errors ? `: ${err.errors.map((e) => `${e.field} ${e.message}`).join('; ')}` : ''}`,
      );
    else console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
