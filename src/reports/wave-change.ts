/**
 * Wave-over-wave change of a campaign report (issue 9): the headline's change since the previous
 * wave of the same series, with an interval, and the units that moved most. Pure: no Nest, no
 * database; every internal figure comes from each campaign's own release decision.
 *
 * - Series: launched campaigns of the same audience, with the same headline question key and type,
 *   whose names are equal once their wave label is taken out ("Internal service 2026-Q1" and
 *   "Internal service 2026-Q2"; "copy to next wave" names copies so). The previous wave is the
 *   greatest wave label below this one (string order, as the linkage waves); of several campaigns
 *   with that label, the most recently created (as `campaignPerWave`).
 * - Mean: Welch; NPS: formula 2.13 with the SEs combined; top box: Newcombe's hybrid score.
 * - Movers: units (matched by code) whose headline is released in BOTH waves (each campaign's
 *   `headlineUnits`), with at least 2 answers on each side; the largest |change| first.
 */
import type { Disclosure } from '../confidentiality/disclosure-plan.js';
import { isNumericType, type NumericQuestionType, type QuestionType } from '../domain/questions.js';
import {
  includesZero,
  momentsFromCounts,
  newcombeDifference,
  npsDifference,
  welchDifference,
  type Interval,
} from '../stats/index.js';
import { TOP_BOX_FROM } from './question-stats.js';
import type { WaveCandidate } from './wave-series.repository.js';

/** Units listed as movers at most. */
export const MOVERS_MAX = 5;

/** One figure's change: later − earlier, with its 95% interval (null when undefined). */
export interface FigureChangeJson {
  previous: number;
  current: number;
  difference: number;
  ci95: [number, number] | null;
  /** The interval includes 0 (null when there is no interval). */
  withinNoise: boolean | null;
}

export interface UnitMoveJson {
  unitCode: string;
  unitName: string;
  previous: { n: number; mean: number };
  current: { n: number; mean: number };
  difference: number;
  ci95: [number, number] | null;
  withinNoise: boolean | null;
}

/**
 * Why no change is shown: `noPreviousWave` (no earlier wave of the series), `notReleased` (this
 * internal campaign's headline is not released: open, or withheld), `previousNotReleased` (the
 * previous wave's headline is not released), `noAnswers` (a wave has no answer to the headline).
 */
export type WaveChangeStatus =
  'compared' | 'noPreviousWave' | 'notReleased' | 'previousNotReleased' | 'noAnswers';

/** `change` of `GET /api/campaigns/:id/report` (whole campaign only, not with `?unitCode=`). */
export interface WaveChangeJson {
  status: WaveChangeStatus;
  /** The headline question compared. */
  question: string;
  previous: { id: string; name: string; wave: string } | null;
  mean: FigureChangeJson | null;
  /** NPS questions only (score points). */
  nps?: FigureChangeJson | null;
  /** Scales with a top box (share 0–1). */
  topBox?: FigureChangeJson | null;
  movers: UnitMoveJson[];
}

/** What one wave contributes: its headline counts and its release decision. */
export interface WaveFacts {
  campaign: { id: string; name: string; wave: string; headline: string };
  headlineType: QuestionType | null;
  units: ReadonlyArray<{ id: string; code: string; name: string }>;
  /** Headline counts: unit → value → answers. */
  headlineCounts: ReadonlyMap<string, ReadonlyMap<number, number>>;
  disclosure: Disclosure;
}

/** The series a campaign name belongs to: the name without its wave label, spaces folded. */
export function seriesStem(name: string, wave: string): string {
  const without = wave && name.includes(wave) ? name.split(wave).join(' ') : name;
  return without.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The previous wave of `current`'s series among `candidates` (see the module comment). */
export function previousWave(
  current: { id: string; name: string; wave: string },
  candidates: readonly WaveCandidate[],
): WaveCandidate | null {
  const stem = seriesStem(current.name, current.wave);
  let best: WaveCandidate | null = null;
  for (const c of candidates) {
    if (c.id === current.id || !(c.wave < current.wave)) continue;
    if (seriesStem(c.name, c.wave) !== stem) continue;
    if (
      !best ||
      c.wave > best.wave ||
      (c.wave === best.wave &&
        (c.createdAt > best.createdAt || (c.createdAt === best.createdAt && c.id > best.id)))
    )
      best = c;
  }
  return best;
}

const interval = (ci: Interval | null | undefined): [number, number] | null =>
  ci ? [ci.lower, ci.upper] : null;
const noise = (ci: Interval | null | undefined) => (ci ? includesZero(ci) : null);

/** value → n over all units. */
function pooled(byUnit: ReadonlyMap<string, ReadonlyMap<number, number>>): Map<number, number> {
  const out = new Map<number, number>();
  for (const byValue of byUnit.values())
    for (const [v, n] of byValue) out.set(v, (out.get(v) ?? 0) + n);
  return out;
}

function npsCounts(counts: ReadonlyMap<number, number>) {
  const out = { promoters: 0, passives: 0, detractors: 0 };
  for (const [v, n] of counts) {
    if (v >= 9) out.promoters += n;
    else if (v >= 7) out.passives += n;
    else out.detractors += n;
  }
  return out;
}

function topBox(counts: ReadonlyMap<number, number>, from: number) {
  let x = 0;
  let n = 0;
  for (const [v, c] of counts) {
    n += c;
    if (v >= from) x += c;
  }
  return { x, n };
}

const empty = (
  status: WaveChangeStatus,
  question: string,
  previous: WaveChangeJson['previous'],
): WaveChangeJson => ({ status, question, previous, mean: null, movers: [] });

/**
 * The change of `current`'s headline since `previous` (null: no previous wave). Internal figures
 * only where each campaign's release decision shows them: the campaign-wide headline of both
 * waves, and per unit the headline of both waves' own groups.
 */
export function waveChange(current: WaveFacts, previous: WaveFacts | null): WaveChangeJson {
  const key = current.campaign.headline;
  const ref = previous
    ? { id: previous.campaign.id, name: previous.campaign.name, wave: previous.campaign.wave }
    : null;
  if (!previous) return empty('noPreviousWave', key, null);
  if (!current.disclosure.released || !current.disclosure.questionShown(key, null))
    return empty('notReleased', key, ref);
  if (!previous.disclosure.released || !previous.disclosure.questionShown(key, null))
    return empty('previousNotReleased', key, ref);
  const type = current.headlineType;
  if (!type || !isNumericType(type) || previous.headlineType !== type)
    return empty('noPreviousWave', key, null);

  const now = pooled(current.headlineCounts);
  const before = pooled(previous.headlineCounts);
  const mNow = momentsFromCounts(now);
  const mBefore = momentsFromCounts(before);
  if (!mNow || !mBefore) return empty('noAnswers', key, ref);

  const welch = welchDifference(mNow, mBefore);
  const out: WaveChangeJson = {
    status: 'compared',
    question: key,
    previous: ref,
    mean: {
      previous: mBefore.mean,
      current: mNow.mean,
      difference: mNow.mean - mBefore.mean,
      ci95: interval(welch?.ci),
      withinNoise: noise(welch?.ci),
    },
    movers: movers(current, previous),
  };
  if (type === 'nps') {
    const a = npsCounts(now);
    const b = npsCounts(before);
    const d = npsDifference(a, b);
    const score = (c: typeof a) =>
      (100 * (c.promoters - c.detractors)) / (c.promoters + c.passives + c.detractors);
    out.nps = {
      previous: score(b),
      current: score(a),
      difference: score(a) - score(b),
      ci95: interval(d?.ci),
      withinNoise: noise(d?.ci),
    };
  }
  const from = TOP_BOX_FROM[type as NumericQuestionType];
  if (from !== undefined) {
    const a = topBox(now, from);
    const b = topBox(before, from);
    const d = newcombeDifference(a.x, a.n, b.x, b.n);
    out.topBox = d && {
      previous: b.x / b.n,
      current: a.x / a.n,
      difference: d.difference,
      ci95: interval(d.ci),
      withinNoise: noise(d.ci),
    };
  }
  return out;
}

/** Units whose own headline group is released in both waves, the largest |change| first. */
function movers(current: WaveFacts, previous: WaveFacts): UnitMoveJson[] {
  const earlier = new Map(previous.units.map((u) => [u.code, u]));
  const rows: UnitMoveJson[] = [];
  for (const u of current.units) {
    const p = earlier.get(u.code);
    if (!p) continue;
    if (!current.disclosure.headlineUnits.has(u.id)) continue;
    if (!previous.disclosure.headlineUnits.has(p.id)) continue;
    const a = momentsFromCounts(current.headlineCounts.get(u.id) ?? new Map<number, number>());
    const b = momentsFromCounts(previous.headlineCounts.get(p.id) ?? new Map<number, number>());
    if (!a || !b || a.n < 2 || b.n < 2) continue;
    const w = welchDifference(a, b);
    rows.push({
      unitCode: u.code,
      unitName: u.name,
      previous: { n: b.n, mean: b.mean },
      current: { n: a.n, mean: a.mean },
      difference: a.mean - b.mean,
      ci95: interval(w?.ci),
      withinNoise: noise(w?.ci),
    });
  }
  rows.sort(
    (x, y) =>
      Math.abs(y.difference) - Math.abs(x.difference) ||
      (x.unitCode < y.unitCode ? -1 : x.unitCode > y.unitCode ? 1 : 0),
  );
  return rows.slice(0, MOVERS_MAX);
}
