/**
 * The close digest's e-mail (issue 9): plain text, in the recipient's language, built only from
 * the campaign report's JSON — which already applies the campaign's release decision — so it
 * never says more than the report shows. Pure: no Nest, no database.
 */
import { formatNumber, formatPercent } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import type { CampaignReportJson } from '../reports/reports.dto.js';
import type { FigureChangeJson } from '../reports/wave-change.js';
import { signed } from '../reports/wave-change.view.js';

export interface DigestInput {
  lang: Language;
  report: CampaignReportJson;
  /** The headline question's text in the recipient's language (its key if none). */
  headlineText: string;
  /** Absolute address of the report page. */
  reportUrl: string;
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

export function composeDigest(input: DigestInput): { subject: string; text: string } {
  const { lang, report } = input;
  const t = (key: string, vars: Record<string, string | number> = {}) =>
    translate(lang, `digest.mail.${key}`, vars);
  const n0 = (v: number) => formatNumber(v, lang, 0);
  const campaign = oneLine(report.campaign.name);
  const lines: string[] = [
    t('intro', {
      campaign,
      wave: report.campaign.wave,
      responses: n0(report.responses),
      invited: n0(report.invited),
      rate: formatPercent(report.responseRate, lang),
    }),
    '',
    t('headline', { question: oneLine(input.headlineText) }),
  ];
  const q = report.questions.find((x) => x.key === report.headline);
  if (!q || q.suppressed || report.resultsReleased === false) lines.push(t('hidden'));
  else if (!q.n || q.mean === null || q.mean === undefined) lines.push(t('noAnswers'));
  else {
    lines.push(t('mean', { value: formatNumber(q.mean, lang, 2, 2), n: n0(q.n) }));
    if (q.nps)
      lines.push(
        t('nps', {
          value: formatNumber(q.nps.score, lang, 1, 1),
          lo: formatNumber(q.nps.ci95[0], lang, 1, 1),
          hi: formatNumber(q.nps.ci95[1], lang, 1, 1),
        }),
      );
    if (q.topBox)
      lines.push(
        t('topBox', {
          value: formatPercent(q.topBox.share, lang),
          lo: formatPercent(q.topBox.ci95[0], lang),
          hi: formatPercent(q.topBox.ci95[1], lang),
        }),
      );
  }
  const change = report.change;
  if (change) {
    lines.push('');
    if (change.status === 'compared' && change.previous) {
      lines.push(t('changeHeading', { wave: change.previous.wave }));
      const figure = (label: string, f: FigureChangeJson | null | undefined, scale: number) => {
        if (!f) return;
        const digits = scale === 100 ? 1 : label === 'nps' ? 1 : 2;
        const unit = scale === 100 ? ` ${translate(lang, 'wavechange.points')}` : '';
        const fmt = (v: number) =>
          scale === 100 ? formatPercent(v, lang) : formatNumber(v, lang, digits, digits);
        const verdict = translate(
          lang,
          f.withinNoise === null
            ? 'wavechange.noInterval'
            : f.withinNoise
              ? 'wavechange.withinNoise'
              : 'wavechange.beyondNoise',
        );
        const vars = {
          figure: translate(lang, `wavechange.${label}`),
          previous: fmt(f.previous),
          current: fmt(f.current),
          change: `${signed(f.difference * scale, lang, digits)}${unit}`,
          verdict,
        };
        lines.push(
          f.ci95
            ? t('changeLine', {
                ...vars,
                lo: signed(f.ci95[0] * scale, lang, digits),
                hi: signed(f.ci95[1] * scale, lang, digits),
              })
            : t('changeNoInterval', vars),
        );
      };
      figure('mean', change.mean, 1);
      figure('nps', change.nps, 1);
      figure('topBox', change.topBox, 100);
    } else {
      lines.push(
        translate(lang, `wavechange.status.${change.status}`, {
          wave: change.previous?.wave ?? '',
        }),
      );
    }
  }
  lines.push('', t('link', { link: input.reportUrl }), '', t('footer'));
  return { subject: oneLine(t('subject', { campaign })).slice(0, 300), text: lines.join('\n') };
}
