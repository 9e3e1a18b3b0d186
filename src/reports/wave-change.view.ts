/** The "change since the previous wave" section of the campaign results page (issue 9). */
import { formatNumber, formatPercent } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import type { FigureChangeJson, WaveChangeJson } from './wave-change.js';

/** A change with its sign: +0.42, −0.10 (a real minus), 0.00. */
export function signed(v: number, lang: Language, digits: number): string {
  const text = formatNumber(Math.abs(v), lang, digits, digits);
  const zero = Number(Math.abs(v).toFixed(digits)) === 0;
  return zero ? text : `${v > 0 ? '+' : '\u2212'}${text}`;
}

const verdict = (lang: Language, withinNoise: boolean | null) =>
  translate(
    lang,
    withinNoise === null
      ? 'wavechange.noInterval'
      : withinNoise
        ? 'wavechange.withinNoise'
        : 'wavechange.beyondNoise',
  );

function figure(
  lang: Language,
  label: string,
  f: FigureChangeJson | null | undefined,
  scale: number,
  digits: number,
  suffix = '',
) {
  if (!f) return null;
  // Shares read as percentages; their change as percentage points.
  const v = (x: number) =>
    scale === 100 ? formatPercent(x, lang) : formatNumber(x, lang, digits, digits);
  return {
    label,
    previous: v(f.previous),
    current: v(f.current),
    change: `${signed(f.difference * scale, lang, digits)}${suffix}`,
    interval: f.ci95
      ? translate(lang, 'wavechange.interval', {
          lo: signed(f.ci95[0] * scale, lang, digits),
          hi: signed(f.ci95[1] * scale, lang, digits),
        })
      : '',
    verdict: verdict(lang, f.withinNoise),
    moved: f.withinNoise === false,
  };
}

/** The section's view model; null when the report carries no change (a filtered report). */
export function waveChangeView(change: WaveChangeJson | undefined, lang: Language) {
  if (!change) return null;
  const pts = translate(lang, 'wavechange.points');
  const figures = [
    figure(lang, translate(lang, 'wavechange.mean'), change.mean, 1, 2),
    figure(lang, translate(lang, 'wavechange.nps'), change.nps, 1, 1),
    figure(lang, translate(lang, 'wavechange.topBox'), change.topBox, 100, 1, ` ${pts}`),
  ].filter((f) => f !== null);
  const previous = change.previous;
  return {
    compared: change.status === 'compared',
    since: previous
      ? translate(lang, 'wavechange.since', { name: previous.name, wave: previous.wave })
      : '',
    previousId: previous?.id ?? null,
    message:
      change.status === 'compared'
        ? ''
        : translate(lang, `wavechange.status.${change.status}`, { wave: previous?.wave ?? '' }),
    figures,
    movers: change.movers.map((m) => ({
      code: m.unitCode,
      name: m.unitName,
      previous: formatNumber(m.previous.mean, lang, 2, 2),
      current: formatNumber(m.current.mean, lang, 2, 2),
      n: translate(lang, 'wavechange.nPair', {
        before: formatNumber(m.previous.n, lang, 0),
        now: formatNumber(m.current.n, lang, 0),
      }),
      change: signed(m.difference, lang, 2),
      interval: m.ci95
        ? translate(lang, 'wavechange.interval', {
            lo: signed(m.ci95[0], lang, 2),
            hi: signed(m.ci95[1], lang, 2),
          })
        : '',
      verdict: verdict(lang, m.withinNoise),
      moved: m.withinNoise === false,
    })),
  };
}
