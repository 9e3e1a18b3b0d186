import { checkSeal, outcomeOf, SEAL_MAX_AGE_MS, sealText } from './import-preview-seal.js';

describe('import preview seal', () => {
  const key = 'k'.repeat(43);
  const now = 1_800_000_000_000;
  const csv = 'code,name,parent_code\nA,Alpha,\n';
  const outcome = outcomeOf({ lines: [{ line: 2, action: 'create', key: 'A' }], errors: [] });
  const seal = sealText(key, 'units', csv, outcome, now);
  const status = (...args: Parameters<typeof checkSeal>) => checkSeal(...args).status;

  it('fits the very text that was previewed, whatever its line ends, and gives its outcome', () => {
    expect(checkSeal(key, 'units', csv, seal, now)).toEqual({ status: 'ok', outcome });
    expect(status(key, 'units', csv, seal, now + 1000)).toBe('ok');
    expect(status(key, 'units', csv.replace(/\n/g, '\r\n'), seal, now)).toBe('ok');
  });

  it('does not fit an edited text, another kind of import or another key', () => {
    expect(status(key, 'units', csv.replace('Alpha', 'Alpha!'), seal, now)).toBe('changed');
    expect(status(key, 'units', `${csv}B,Beta,\n`, seal, now)).toBe('changed');
    expect(status(key, 'contacts', csv, seal, now)).toBe('changed');
    expect(status('j'.repeat(43), 'units', csv, seal, now)).toBe('changed');
  });

  it('counts a missing, malformed, future or stale seal as no preview', () => {
    expect(status(key, 'units', csv, undefined, now)).toBe('missing');
    expect(status(key, 'units', csv, 'nonsense', now)).toBe('missing');
    expect(status(key, 'units', csv, seal, now + SEAL_MAX_AGE_MS + 1)).toBe('missing');
    expect(
      status(key, 'units', csv, sealText(key, 'units', csv, outcome, now + 120_000), now),
    ).toBe('missing');
    // A re-dated seal, or one with another outcome, keeps the old MAC: it does not fit.
    const [, , mac] = seal.split('.');
    expect(status(key, 'units', csv, `${now + 5}.${outcome}.${mac}`, now + 10)).toBe('changed');
    const other = outcomeOf({ lines: [{ line: 2, action: 'update', key: 'A' }], errors: [] });
    expect(other).not.toBe(outcome);
    expect(status(key, 'units', csv, `${now}.${other}.${mac}`, now)).toBe('changed');
  });
});
