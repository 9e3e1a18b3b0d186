// The raw export keeps pace with its reader (issue 9: RSS within 100 MiB of idle for 1M rows with
// a slow reader): while the client does not read, the server stops reading keyset pages; when it
// reads again, the file arrives complete and correct. CSV and XLSX, on both databases.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { Db } from '../../src/database/db.js';
import {
  EXPORT_PAGE_SIZE,
  ResponseExportService,
} from '../../src/reports/response-export.service.js';
import { ADMIN, dbKinds, startApp, type TestApp } from '../helpers/app.js';
import { xlsxSheets } from '../helpers/exports.js';
import {
  insertReportCampaign,
  insertReportResponses,
  insertUnitWith,
} from '../helpers/factories.js';

/** Responses of about 4 KB of random text each: 40 MB of CSV (30 MB zipped), far more than every buffer on the way. */
const N = 10_000;
const TEXT = 4_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dbKinds())('export backpressure (%s)', (kind) => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  let campaignId: string;
  const texts = new Map<string, string>();
  let pagesRead = 0;

  /** Signs in through the form with plain HTTP; returns the Cookie header. */
  async function session(): Promise<string> {
    const jar = new Map<string, string>();
    const keep = (res: Response) => {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
    };
    const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const page = await fetch(`${base}/login`);
    keep(page);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
      body: new URLSearchParams({ _csrf: csrf, ...ADMIN }).toString(),
    });
    expect(res.status).toBe(303);
    keep(res);
    return header();
  }

  beforeAll(async () => {
    t = await startApp(kind, { MIN_GROUP_SIZE: '5' });
    const db = t.app.get(Db);
    const unit = await insertUnitWith(db, { code: 'BP' });
    campaignId = await insertReportCampaign(db, {
      audience: 'external',
      name: 'Backpressure',
      anonymous: true,
      questions: [
        { key: 'sat', type: 'csat' },
        { key: 'why', type: 'text' },
      ],
    });
    const answers = Array.from({ length: N }, (_, i) => ({
      unitId: unit,
      answers: {
        sat: 1 + (i % 5),
        why: `x${randomBytes(TEXT).toString('base64url').slice(1, TEXT)}`,
      },
    }));
    const ids = await insertReportResponses(db, campaignId, answers);
    ids.forEach((id, i) => texts.set(id, answers[i].answers.why));
    const exports = t.app.get(ResponseExportService);
    exports.probe = { pageRead: (rows) => (pagesRead = rows) };
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cookie = await session();
  }, 180_000);
  afterAll(() => t.close());

  /** Opens the download, reads nothing for a while, then reads it all. */
  async function pausedThenRead(path: string) {
    pagesRead = 0;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${base}${path}`, { headers: { cookie } }, resolve).on('error', reject),
    );
    expect(res.statusCode).toBe(200);
    // Not reading: wait until the server stops (the count of rows read stays put for 1.5 s).
    let last = -1;
    let still = 0;
    for (let waited = 0; waited < 20_000 && still < 15; waited += 100) {
      await sleep(100);
      still = pagesRead === last ? still + 1 : 0;
      last = pagesRead;
    }
    const whilePaused = pagesRead;
    await sleep(1000);
    const later = pagesRead;
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((resolve, reject) => res.on('end', resolve).on('error', reject));
    return { whilePaused, later, body: Buffer.concat(chunks) };
  }

  it.each(['csv', 'xlsx'])(
    'stops reading pages while the %s reader waits, and delivers every row when it reads',
    async (format) => {
      const { whilePaused, later, body } = await pausedThenRead(
        `/reports/campaigns/${campaignId}/responses.${format}`,
      );
      // Some pages were read (the export started), far from all of them (what the kernel's socket
      // buffers and the streams hold: some MB of the 30–40 MB file), and at most the page in hand
      // was finished a second later.
      console.log(
        `${kind} ${format}: ${whilePaused} rows read while paused, ${later} a second later`,
      );
      expect(whilePaused).toBeGreaterThan(0);
      expect(whilePaused).toBeLessThanOrEqual(N / 2);
      expect(later).toBeLessThanOrEqual(whilePaused + EXPORT_PAGE_SIZE);
      expect(pagesRead).toBe(N);
      expect(body.length).toBeGreaterThan(N * TEXT * (format === 'csv' ? 1 : 0.6));

      let rows: Array<Array<string | number | null>>;
      if (format === 'csv') rows = parse(body, { bom: true }) as string[][];
      else rows = (await xlsxSheets(body)).get('responses')!;
      const [header, ...data] = rows;
      expect(header).toEqual(['response_id', 'submitted_at', 'language', 'unit', 'sat', 'why']);
      expect(data.length).toBe(N);
      const seen = new Set<string>();
      for (const row of data) {
        const id = String(row[0]);
        seen.add(id);
        expect(row[5]).toBe(texts.get(id));
      }
      expect(seen.size).toBe(N);
    },
    120_000,
  );
});
