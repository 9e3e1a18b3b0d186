import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { collectNow } from '../../src/common/heap-guard.js';
import { Db } from '../../src/database/db.js';
import { ContactsRepository } from '../../src/organisation/contacts.repository.js';
import { CsvImportService } from '../../src/organisation/csv-import.service.js';
import { ImportPreviewSeal } from '../../src/organisation/import-preview-seal.js';
import { UnitsRepository } from '../../src/organisation/units.repository.js';
import { bearer, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { type Agent, csrfOf, signIn } from '../helpers/auth.js';
import { bigContactsCsv, bigUnitsCsv, type BigCsv } from '../helpers/big-import.js';

/**
 * Issue 10: a 4.9 MB units CSV with 999 unreadable lines was re-parsed from each bad line on
 * (31.9 s for a dry run, /health answering in 30.9 s meanwhile). Now every import, API and page,
 * units and contacts, reads the file once and pauses every few milliseconds: /health keeps
 * answering within 100 ms while a 4.9 MB file with 1,000 bad lines is imported, and every bad
 * line is still reported with its line number.
 *
 * /health is asked by a client in another process, every 10 ms, without waiting for answers: a
 * stalled server shows as a long answer wherever the stall falls. The machine may be shared, so a
 * probe can be slow because a process was descheduled, not because the server was busy: the test
 * asks that 99 % of the probes answer within 100 ms and none take 250 ms (the reader this
 * replaced held the event loop for the whole file: 0.9 to 2 s here for these files, 30 s in the
 * issue), and a test is tried up to three times (a garbage collection starved of CPU by other
 * processes can hold the loop for 150 ms). Each try prints its figures ("[issue 10] …").
 */
jest.retryTimes(2, { logErrorsBeforeRetry: true });

const HEALTH_LIMIT_MS = 100;
const HEALTH_CEILING_MS = 250;

const PROBE = `
const url = process.argv[1];
const probes = [];
let pending = 0;
let ready = false;
const probe = () => {
  const asked = performance.now();
  const at = Date.now();
  pending++;
  fetch(url)
    .then(async (r) => {
      await r.text();
      if (r.status !== 200) throw new Error('status ' + r.status);
      probes.push([at, performance.now() - asked]);
      if (!ready) (ready = true), process.stdout.write('ready\\n');
    })
    .catch(() => probes.push([at, 1e9]))
    .finally(() => pending--);
};
const timer = setInterval(probe, 10);
process.stdin.on('end', () => {
  clearInterval(timer);
  const finish = () =>
    pending ? setTimeout(finish, 20) : process.stdout.write(JSON.stringify(probes) + '\\n');
  finish();
});
process.stdin.resume();
`;

const quantile = (xs: readonly number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
/** Wall-clock time, which this process and the prober share (ms). */
const epochNow = () => Date.now();

interface Measured<T> {
  result: T;
  /** [asked at (epoch ms), latency (ms)] of the probes asked while the import's work ran. */
  probes: Array<[number, number]>;
}

describe.each(dbKinds())('CSV imports keep the server responsive on %s', (kind) => {
  let t: TestApp;
  let admin: Agent;
  /** When the import service last started and finished (the page's own work, without the form). */
  const service = { started: 0, finished: 0 };
  // Dry runs read these; the written imports have their own (jest tries a failed test again
  // after the others, so a dry run may come after them).
  const units = bigUnitsCsv('R');
  const contacts = bigContactsCsv('import.example.com', ['CT-1', 'CT-2', 'CT-3']);
  const writtenUnits = bigUnitsCsv('W');
  const writtenContacts = bigContactsCsv('written.example.com', ['CT-1', 'CT-2', 'CT-3']);

  beforeAll(async () => {
    t = await startApp(kind, {}, [
      {
        provide: CsvImportService,
        inject: [UnitsRepository, ContactsRepository, ImportPreviewSeal],
        useFactory: (u: UnitsRepository, c: ContactsRepository, s: ImportPreviewSeal) => {
          const real = new CsvImportService(u, c, s);
          const previewOrImport = real.previewOrImport.bind(real);
          real.previewOrImport = async (...args) => {
            service.started = epochNow();
            try {
              return await previewOrImport(...args);
            } finally {
              service.finished = epochNow();
            }
          };
          return real;
        },
      },
    ]);
    await t.app.listen(0, '127.0.0.1'); // for the prober, a client in another process
    admin = await signIn(t);
    await t
      .http()
      .post('/api/units/import')
      .set(bearer(t.adminToken))
      .set('Content-Type', 'text/csv')
      .send('code,name,parent_code\nCT-1,One,\nCT-2,Two,CT-1\nCT-3,Three,CT-1\n')
      .expect(200);
  });
  afterAll(() => t.close());

  /**
   * Runs `work` with the prober asking /health; keeps the probes asked within `window` (default:
   * the whole request) and prints the figures.
   */
  async function measured<T>(
    what: string,
    work: () => PromiseLike<T>,
    window?: () => { from: number; to: number },
  ): Promise<Measured<T>> {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    // The app shares the test process, whose heap has grown with every spec file before this one:
    // collect it before the measured window, so that a full collection of that heap is not timed
    // as the import's doing.
    collectNow();
    const prober = spawn(process.execPath, ['-e', PROBE, `http://127.0.0.1:${port}/health`]);
    let out = '';
    prober.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    while (!out.includes('ready')) await once(prober.stdout, 'data');
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor's timer is running
    const started = epochNow();
    const result = await work();
    const finished = epochNow();
    loop.disable();
    prober.stdin.end();
    await once(prober, 'exit');
    const all = JSON.parse(out.slice(out.indexOf('ready') + 6)) as Array<[number, number]>;
    const chosen = window?.() ?? { from: started, to: finished };
    // With a window: from when every probe asked before it has been answered (a backlog left by
    // work before the window, e.g. the form's parsing, is not the window's doing).
    const drained = Math.max(
      ...all.filter(([asked]) => asked < chosen.from).map(([asked, ms]) => asked + ms),
    );
    const { from, to } = window ? { ...chosen, from: Math.max(chosen.from, drained) } : chosen;
    const during = all.filter(([asked]) => asked >= from && asked <= to);
    const whole = all.filter(([asked]) => asked >= started && asked <= finished);
    const figures = (probes: Array<[number, number]>, xs = probes.map(([, ms]) => ms)) =>
      `max ${Math.max(...xs).toFixed(0)} ms, p99 ${quantile(xs, 0.99).toFixed(0)} ms over ${xs.length} probes`;
    process.stdout.write(
      `[issue 10] ${kind} ${what}: ${((finished - started) / 1000).toFixed(1)} s; /health ${figures(during)}` +
        (window ? ` (whole request, form parsing included: ${figures(whole)})` : '') +
        `; event loop held at most ${(loop.max / 1e6).toFixed(0)} ms\n`,
    );
    return { result, probes: during };
  }

  /**
   * Responsive throughout, and the import took long enough for the probes to mean something.
   * `commit`: a written import on SQLite ends with one COMMIT of up to 100,000 rows, which
   * better-sqlite3 runs on the event loop (the WAL write and its fsync: 0.1 to 0.2 s here); that
   * one stall is left out of the 99 % (it stays under the ceiling).
   */
  function expectResponsive(m: Measured<unknown>, commit = false) {
    expect(m.probes.length).toBeGreaterThanOrEqual(20); // one every 10 ms: the server answered
    const latencies = m.probes.map(([, ms]) => ms);
    expect(Math.max(...latencies)).toBeLessThan(HEALTH_CEILING_MS);
    let rest = m.probes;
    if (commit && kind === 'sqlite') {
      const [at, ms] = m.probes.reduce((a, b) => (b[1] > a[1] ? b : a));
      rest = m.probes.filter(([asked]) => asked < at - ms || asked > at + ms);
    }
    expect(
      quantile(
        rest.map(([, ms]) => ms),
        0.99,
      ),
    ).toBeLessThan(HEALTH_LIMIT_MS);
  }

  /** Every bad line reported with its number and reason, and nothing else. */
  const expectAllBadLines = (errors: Array<{ line: number; message: string }>, csv: BigCsv) => {
    const bad = new Set(csv.badLines);
    expect(errors.filter((e) => !bad.has(e.line) || !/quote/.test(e.message))).toEqual([]);
    expect(errors.map((e) => e.line)).toEqual(csv.badLines);
  };

  const apiImport = (path: string, csv: string) =>
    t
      .http()
      .post(path)
      .set(bearer(t.adminToken))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);

  it('API units dry run: 4.9 MB, 1,000 bad lines, each reported; /health within 100 ms', async () => {
    expect(units.text.length).toBeGreaterThan(4_800_000);
    expect(units.badLines).toHaveLength(1000);
    const m = await measured('units API dry run', () =>
      apiImport('/api/units/import?dryRun=true', units.text),
    );
    expect(m.result.body).toMatchObject({ created: units.goodLines, updated: 0, dryRun: true });
    expectAllBadLines(m.result.body.errors, units);
    expectResponsive(m);
  });

  it('API contacts dry run: the same size and bad lines; /health within 100 ms', async () => {
    expect(contacts.text.length).toBeGreaterThan(4_800_000);
    const m = await measured('contacts API dry run', () =>
      apiImport('/api/contacts/import?dryRun=true', contacts.text),
    );
    expect(m.result.body).toMatchObject({ created: contacts.goodLines, dryRun: true });
    expectAllBadLines(m.result.body.errors, contacts);
    expectResponsive(m);
  });

  it('page preview of the units file: the report, and /health within 100 ms while it is made', async () => {
    const page = await admin.get('/admin/units').expect(200);
    // Encoded before the clock starts: the client shares this process with the server.
    const form = new URLSearchParams({ _csrf: csrfOf(page.text), csv: units.text, dryRun: 'on' });
    const body = form.toString();
    const m = await measured(
      'units page preview',
      // The whole request: the form's 6.5 MB of url-encoded text is decoded in slices too
      // (src/common/form-body.ts; in one go it held the loop 0.2 to 1 s here).
      () => admin.post('/admin/units/import').type('form').send(body).expect(200),
    );
    expect(m.result.text).toContain('name="previewSeal"');
    expect(m.result.text).toContain(' updated, 1,000 lines with problems.');
    expectResponsive(m);
  });

  let contactTries = 0;
  it('API contacts import (written): every good line stored; /health within 100 ms', async () => {
    // A new try starts from the same database: the contacts of the last one are removed.
    if (contactTries++)
      await t.app
        .get(Db)
        .manager.query(`DELETE FROM contacts WHERE email LIKE '%@written.example.com'`);
    const csv = writtenContacts;
    const m = await measured('contacts API import', () =>
      apiImport('/api/contacts/import', csv.text),
    );
    expect(m.result.body).toMatchObject({ created: csv.goodLines, dryRun: false });
    expectAllBadLines(m.result.body.errors, csv);
    expectResponsive(m, true);
  });

  let unitTries = 0;
  it('API units import (written): every good line stored; /health within 100 ms', async () => {
    if (unitTries++) await t.app.get(Db).manager.query(`DELETE FROM units WHERE code LIKE 'W%'`);
    const csv = writtenUnits;
    const m = await measured('units API import', () => apiImport('/api/units/import', csv.text));
    expect(m.result.body).toMatchObject({ created: csv.goodLines, dryRun: false });
    expectAllBadLines(m.result.body.errors, csv);
    expectResponsive(m, true);
  });
});
