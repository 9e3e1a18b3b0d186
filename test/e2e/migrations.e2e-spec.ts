import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { dataSourceOptions, MIGRATIONS } from '../../src/database/data-source-options.js';
import { runMigrations } from '../../src/database/migrate.js';
import { dbKinds, freshDatabase } from '../helpers/app.js';

/** Every later migration runs on a database that already holds data, and loses none of it. */
describe.each(dbKinds())('migrations on existing data (%s)', (kind) => {
  it('applies the later migrations without touching existing rows, and twice is a no-op', async () => {
    const db = await freshDatabase(kind);
    try {
      const config = loadConfig({ DATABASE_URL: db.url });
      const first = new DataSource({ ...dataSourceOptions(config), migrations: [MIGRATIONS[0]] });
      await first.initialize();
      await first.runMigrations();
      const p = (n: number) => (kind === 'sqlite' ? '?' : `$${n}`);
      const now = new Date().toISOString();
      await first.query(
        `INSERT INTO units (id, code, name, parent_id, created_at, updated_at) VALUES (${p(1)}, 'U1', 'Ünit 👩🏽‍💻', NULL, ${p(2)}, ${p(3)})`,
        ['00000000-0000-4000-8000-000000000001', now, now],
      );
      await first.query(
        `INSERT INTO campaigns (id, name, audience, wave, anonymous, languages, headline, status, created_at)
         VALUES ('00000000-0000-4000-8000-000000000002', 'C', 'internal', 'W', ${kind === 'sqlite' ? 1 : 'true'}, 'en', 'sat', 'open', ${p(1)})`,
        [now],
      );
      for (let i = 0; i < 20; i++) {
        const id = `00000000-0000-4000-8000-1000000000${String(i).padStart(2, '0')}`;
        await first.query(
          `INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at)
           VALUES (${p(1)}, '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', NULL, 'en', ${p(2)})`,
          [id, now],
        );
        await first.query(
          `INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value)
           VALUES (${p(1)}, 'sat', 0, '00000000-0000-4000-8000-000000000002', ${p(2)}, NULL)`,
          [id, (i % 5) + 1],
        );
      }
      await first.destroy();

      const applied = await runMigrations(config);
      expect(applied).toEqual(MIGRATIONS.slice(1).map((m) => m.name));
      expect(await runMigrations(config)).toEqual([]);

      const check = new DataSource(dataSourceOptions(config));
      await check.initialize();
      const count = async (table: string) =>
        Number((await check.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
      expect([
        await count('units'),
        await count('campaigns'),
        await count('responses'),
        await count('answers'),
      ]).toEqual([1, 1, 20, 20]);
      expect((await check.query('SELECT name FROM units'))[0].name).toBe('Ünit 👩🏽‍💻');
      const sum = await check.query('SELECT SUM(num_value) AS s FROM answers');
      expect(Number(sum[0].s)).toBe(60);
      // AnswerCounts back-filled the per-unit counts from the answers.
      const counts = (await check.query(
        `SELECT kind, question_key AS k, value, n FROM answer_counts ORDER BY kind, value`,
      )) as Array<{ kind: string; k: string; value: string; n: unknown }>;
      expect(counts.map((c) => [c.kind, c.k, c.value, Number(c.n)])).toEqual([
        ['num', 'sat', '1', 4],
        ['num', 'sat', '2', 4],
        ['num', 'sat', '3', 4],
        ['num', 'sat', '4', 4],
        ['num', 'sat', '5', 4],
        ['resp', '', '', 20],
      ]);
      if (kind === 'sqlite') {
        expect(await check.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        expect(await check.query('PRAGMA foreign_key_check')).toEqual([]);
      }
      await check.destroy();
    } finally {
      await db.drop();
    }
  });

  it('CampaignUnits freezes the current tree for launched campaigns only, parents kept', async () => {
    const db = await freshDatabase(kind);
    try {
      const config = loadConfig({ DATABASE_URL: db.url });
      const before = MIGRATIONS.findIndex((m) => m.name === 'CampaignUnits1796067173451');
      const first = new DataSource({
        ...dataSourceOptions(config),
        migrations: MIGRATIONS.slice(0, before),
      });
      await first.initialize();
      await first.runMigrations();
      const p = (n: number) => (kind === 'sqlite' ? '?' : `$${n}`);
      const now = new Date().toISOString();
      const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const units: Array<[number, string, number | null]> = [
        [1, 'ROOT', null],
        [2, 'R1', 1],
        [3, 'A', 2],
      ];
      for (const [n, code, parent] of units)
        await first.query(
          `INSERT INTO units (id, code, name, parent_id, created_at, updated_at)
           VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
          [id(n), code, `Ünit ${code}`, parent === null ? null : id(parent), now, now],
        );
      for (const [n, status] of [
        [10, 'draft'],
        [11, 'open'],
        [12, 'closed'],
      ] as const)
        await first.query(
          `INSERT INTO campaigns (id, name, audience, wave, anonymous, languages, headline, status, created_at)
           VALUES (${p(1)}, 'C', 'internal', 'W', ${kind === 'sqlite' ? 1 : 'true'}, 'en', 'sat', ${p(2)}, ${p(3)})`,
          [id(n), status, now],
        );
      await first.destroy();

      expect(await runMigrations(config)).toEqual(MIGRATIONS.slice(before).map((m) => m.name));

      const check = new DataSource(dataSourceOptions(config));
      await check.initialize();
      const rows = (await check.query(
        `SELECT campaign_id AS c, unit_id AS u, code, name, parent_id AS parent
         FROM campaign_units ORDER BY campaign_id, code`,
      )) as Array<{ c: string; u: string; code: string; name: string; parent: string | null }>;
      const expected = (c: number) =>
        [...units]
          .sort((a, b) => (a[1] < b[1] ? -1 : 1))
          .map(([n, code, parent]) => ({
            c: id(c),
            u: id(n),
            code,
            name: `Ünit ${code}`,
            parent: parent === null ? null : id(parent),
          }));
      expect(rows).toEqual([...expected(11), ...expected(12)]);
      expect(Number((await check.query('SELECT COUNT(*) AS n FROM units'))[0].n)).toBe(3);
      if (kind === 'sqlite') {
        expect(await check.query('PRAGMA foreign_key_check')).toEqual([]);
      }
      await check.destroy();
    } finally {
      await db.drop();
    }
  });
});
