import type { LinkageResult, ServiceMapResult, WavesResult } from './linkage.dto.js';
import { scopeLinkage, scopeServiceMap, scopeWaves } from './linkage-scope.js';

const mine = new Set(['NORTH', 'B-MI']);
const row = (unitCode: string) => ({ unitCode, unitName: unitCode });

describe('linkage scope (unit managers)', () => {
  it('keeps the company-wide statistics and only the own rows of the linkage', () => {
    const result = {
      n: 3,
      pearson: { r: 0.5 },
      summary: 'company-wide',
      units: [row('B-MI'), row('B-RM'), row('SOUTH')].map((u) => ({
        ...u,
        internal: { n: 5, score: 1 },
        external: { n: 5, score: 1 },
      })),
      excluded: [
        { ...row('B-NA'), reason: 'few' },
        { ...row('NORTH'), reason: 'few' },
      ],
      readiness: [row('B-MI'), row('B-RM'), row('ACME')],
    } as unknown as LinkageResult;
    const scoped = scopeLinkage(result, mine);
    expect(scoped.units.map((u) => u.unitCode)).toEqual(['B-MI']);
    expect(scoped.excluded.map((u) => u.unitCode)).toEqual(['NORTH']);
    expect(scoped.readiness.map((u) => u.unitCode)).toEqual(['B-MI']);
    expect([scoped.n, scoped.pearson, scoped.summary]).toEqual([3, { r: 0.5 }, 'company-wide']);
    expect(scopeLinkage(result, null)).toBe(result);
  });

  it("drops other units' codes from the waves' panels and their note", () => {
    const result = {
      lang: 'en',
      panels: [
        {
          n: 4,
          wave1: 'W1',
          wave2: 'W2',
          unitCodes: ['B-MI', 'B-RM'],
          leftOut: { wave1: ['B-NA'], wave2: ['NORTH'] },
          unitSetNote: 'mentions B-NA',
        },
      ],
    } as unknown as WavesResult;
    const [panel] = scopeWaves(result, mine).panels;
    expect(panel.unitCodes).toEqual(['B-MI']);
    expect(panel.leftOut).toEqual({ wave1: [], wave2: ['NORTH'] });
    expect(panel.unitSetNote).toContain('NORTH');
    expect(panel.unitSetNote).not.toContain('B-NA');
    const none = scopeWaves(
      { ...result, panels: [{ ...result.panels[0], leftOut: { wave1: ['B-NA'], wave2: [] } }] },
      mine,
    );
    expect(none.panels[0].unitSetNote).toBeNull();
  });

  it("keeps the own raters' rows and the own providers' figures of the service map", () => {
    const result = {
      providers: [
        { ...row('NORTH'), n: 9, mean: 4 },
        { ...row('HR'), n: 20, mean: 3 },
      ],
      raters: [row('B-MI'), row('B-RM')],
      cells: [
        { raterUnitCode: 'B-MI', providerUnitCode: 'HR', n: 5, mean: 3 },
        { raterUnitCode: 'B-RM', providerUnitCode: 'HR', n: 5, mean: 2 },
        { raterUnitCode: 'B-RM', providerUnitCode: 'NORTH', n: 5, mean: 2 },
      ],
    } as unknown as ServiceMapResult;
    const scoped = scopeServiceMap(result, mine);
    expect(scoped.providers).toEqual([{ ...row('NORTH'), n: 9, mean: 4 }, { ...row('HR') }]);
    expect(scoped.raters).toEqual([row('B-MI')]);
    expect(scoped.cells).toEqual([
      { raterUnitCode: 'B-MI', providerUnitCode: 'HR', n: 5, mean: 3 },
    ]);
  });
});
