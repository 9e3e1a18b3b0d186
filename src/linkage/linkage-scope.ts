import { panelUnitSetNote } from './linkage-summary.js';
import type { LinkageResult, ServiceMapResult, WavesResult } from './linkage.dto.js';

/**
 * A unit manager's view of the linkage answers (issue 9): the rows of their own units only (`codes`
 * from `scopedCodes`; null = every unit, the answer unchanged). The statistics across units (n, r,
 * intervals, summary, trend, drivers) are company-wide figures and stay; nothing is released that
 * the release decision did not release, since this only removes rows after it.
 */
const keep = (codes: ReadonlySet<string>) => (row: { unitCode: string }) => codes.has(row.unitCode);

export function scopeLinkage(r: LinkageResult, codes: ReadonlySet<string> | null): LinkageResult {
  if (!codes) return r;
  return {
    ...r,
    units: r.units.filter(keep(codes)),
    excluded: r.excluded.filter(keep(codes)),
    readiness: r.readiness.filter(keep(codes)),
  };
}

export function scopeWaves(r: WavesResult, codes: ReadonlySet<string> | null): WavesResult {
  if (!codes) return r;
  return {
    ...r,
    panels: r.panels.map((p) => {
      const leftOut = {
        wave1: p.leftOut.wave1.filter((c) => codes.has(c)),
        wave2: p.leftOut.wave2.filter((c) => codes.has(c)),
      };
      const note = { n: p.n, wave1: p.wave1, wave2: p.wave2, leftOut };
      return {
        ...p,
        unitCodes: p.unitCodes.filter((c) => codes.has(c)),
        leftOut,
        unitSetNote: panelUnitSetNote(note, r.lang),
      };
    }),
  };
}

/**
 * The service map of a manager: how their units rate each provider (their rater rows), and the
 * overall figures of the providers that are their units; another provider stays a column, without
 * its figures.
 */
export function scopeServiceMap(
  r: ServiceMapResult,
  codes: ReadonlySet<string> | null,
): ServiceMapResult {
  if (!codes) return r;
  return {
    ...r,
    providers: r.providers.map((p) => {
      if (codes.has(p.unitCode)) return p;
      const { n: _n, mean: _mean, ...rest } = p;
      return rest;
    }),
    raters: r.raters.filter(keep(codes)),
    cells: r.cells.filter((c) => codes.has(c.raterUnitCode)),
  };
}
