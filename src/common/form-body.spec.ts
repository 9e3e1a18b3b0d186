import fc from 'fast-check';
import { parse as parseQuery } from 'fast-querystring';
import { FORM_SLICE_THRESHOLD, parseFormBody } from './form-body.js';

const form = (pairs: Array<[string, string]>) => Buffer.from(new URLSearchParams(pairs).toString());
const plain = (o: object) => JSON.parse(JSON.stringify(o)) as unknown;

/** A CSV as pasted into the units import page: about `mb` MB once form-encoded. */
function pastedCsv(mb: number): string {
  const lines = ['code,name,parent_code'];
  // About 1.5 encoded bytes per character of these lines.
  for (let i = 0, size = 0; size < (mb * 1_000_000) / 1.5; i++) {
    const line = `U${i},"Unità è ${i}, sede",${i % 7 ? `U${i - 1}` : ''}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('parseFormBody', () => {
  it('equals fast-querystring (Nest’s parser) on small and large forms', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', '_csrf', 'csv', 'è'), fc.string()), {
          maxLength: 6,
        }),
        fc.boolean(),
        async (pairs, large) => {
          const all: Array<[string, string]> = large
            ? [...pairs, ['pad', 'x'.repeat(FORM_SLICE_THRESHOLD)]]
            : pairs;
          const body = form(all);
          expect(plain(await parseFormBody(body))).toEqual(plain(parseQuery(body.toString())));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('decodes a large pasted CSV exactly, repeated names as arrays, + as a space', async () => {
    const csv = pastedCsv(1);
    const body = Buffer.from(
      `${new URLSearchParams([['csv', csv]]).toString()}&k=a+b&k=c%2Bd&empty=&bare`,
    );
    expect(body.length).toBeGreaterThan(FORM_SLICE_THRESHOLD);
    const parsed = await parseFormBody(body);
    expect(parsed.csv).toBe(csv);
    expect(parsed.k).toEqual(['a b', 'c+d']);
    expect(parsed.empty).toBe('');
    expect(parsed.bare).toBe('');
    expect(Object.getPrototypeOf(parsed)).toBeNull();
  });

  it('refuses a __proto__ name, small or large', async () => {
    await expect(parseFormBody(Buffer.from('__proto__=x'))).rejects.toThrow(/prototype/);
    const large = Buffer.from(`__proto__=x&pad=${'y'.repeat(FORM_SLICE_THRESHOLD)}`);
    await expect(parseFormBody(large)).rejects.toThrow(/prototype/);
  });

  it('never holds the event loop 50 ms while it decodes a 6 MB form', async () => {
    const body = form([
      ['_csrf', 'token'],
      ['csv', pastedCsv(6)],
    ]);
    expect(body.length).toBeGreaterThan(5_000_000);
    // A 5 ms ticker running before, during and after the work: its longest gap is the longest
    // stretch the event loop was held.
    let last = performance.now();
    let longest = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await wait(30);
    const parsed = await parseFormBody(body);
    await wait(30);
    clearInterval(ticker);
    expect(parsed._csrf).toBe('token');
    expect(longest).toBeLessThan(50);
  });
});
