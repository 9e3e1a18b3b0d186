import { checkSeal, SEAL_MAX_AGE_MS, sealText } from './import-preview-seal.js';

describe('import preview seal', () => {
  const key = 'k'.repeat(43);
  const now = 1_800_000_000_000;
  const csv = 'code,name,parent_code\nA,Alpha,\n';
  const seal = sealText(key, 'units', csv, now);

  it('fits the very text that was previewed, whatever its line ends', () => {
    expect(checkSeal(key, 'units', csv, seal, now + 1000)).toBe('ok');
    expect(checkSeal(key, 'units', csv.replace(/\n/g, '\r\n'), seal, now)).toBe('ok');
  });

  it('does not fit an edited text, another kind of import or another key', () => {
    expect(checkSeal(key, 'units', csv.replace('Alpha', 'Alpha!'), seal, now)).toBe('changed');
    expect(checkSeal(key, 'units', `${csv}B,Beta,\n`, seal, now)).toBe('changed');
    expect(checkSeal(key, 'contacts', csv, seal, now)).toBe('changed');
    expect(checkSeal('j'.repeat(43), 'units', csv, seal, now)).toBe('changed');
  });

  it('counts a missing, malformed, future or stale seal as no preview', () => {
    expect(checkSeal(key, 'units', csv, undefined, now)).toBe('missing');
    expect(checkSeal(key, 'units', csv, 'nonsense', now)).toBe('missing');
    expect(checkSeal(key, 'units', csv, seal, now + SEAL_MAX_AGE_MS + 1)).toBe('missing');
    expect(checkSeal(key, 'units', csv, sealText(key, 'units', csv, now + 120_000), now)).toBe(
      'missing',
    );
    // A re-dated seal keeps the old MAC: it does not fit.
    const [, mac] = seal.split('.');
    expect(checkSeal(key, 'units', csv, `${now + 5}.${mac}`, now + 10)).toBe('changed');
  });
});
