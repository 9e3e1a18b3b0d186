/** The results page of one campaign: every numeric question with its distribution, and the units. */
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { buildDistribution } from '../charts/bars.js';
import { formatNumber, PALETTE } from '../charts/common.js';
import { QUESTION_SCALES, isNumericType } from '../domain/questions.js';
import { fill, type ReportStrings, reportStrings } from './report-pages.i18n.js';
import { type PageContext, pct, questionText, unitName } from './report-page.js';
import type { CampaignReportJson } from './reports.dto.js';
import { waveChangeView } from './wave-change.view.js';

function intervalText(
  ci: [number, number] | null | undefined,
  lang: string,
  t: ReportStrings,
  scale = 1,
  digits = 1,
) {
  if (!ci) return '';
  return fill(t.interval, {
    lo: formatNumber(ci[0] * scale, lang, digits, digits),
    hi: formatNumber(ci[1] * scale, lang, digits, digits),
  });
}

export function campaignReportView(
  report: CampaignReportJson,
  campaign: CampaignView,
  ctx: PageContext,
) {
  const t = reportStrings(ctx.lang);
  const lang = ctx.lang;
  const color = report.campaign.audience === 'internal' ? PALETTE.internal : PALETTE.external;
  const hiddenLabel = fill(t.hidden, { k: ctx.k });
  const byKey = new Map(campaign.questions.map((q) => [q.key, q]));
  const questions = report.questions
    .filter((q) => isNumericType(q.type))
    .map((q, i) => {
      const def = byKey.get(q.key);
      const text = questionText(def, lang) || q.key;
      const scale = QUESTION_SCALES[q.type as keyof typeof QUESTION_SCALES];
      const values = Array.from({ length: scale.max - scale.min + 1 }, (_, j) => scale.min + j);
      const hidden = q.suppressed === true;
      const hasData = !hidden && (q.n ?? 0) > 0;
      const chart =
        hasData && q.distribution
          ? buildDistribution(
              values,
              q.distribution ?? {},
              lang,
              (value, count, share) => fill(t.barTitle, { value, count, share: pct(share, lang) }),
              color,
            )
          : null;
      return {
        id: `q-${i}`,
        key: q.key,
        text,
        headline: q.key === campaign.headline,
        hidden,
        noData: !hidden && !hasData,
        n: formatNumber(q.n ?? 0, lang, 0),
        mean: q.mean !== undefined && q.mean !== null ? formatNumber(q.mean, lang, 2, 2) : null,
        nps:
          q.nps && q.nps.score !== null
            ? {
                score: formatNumber(q.nps.score, lang, 1),
                interval: intervalText(q.nps.ci95, lang, t, 1, 1),
                split: `${formatNumber(q.nps.promoters, lang, 0)} ${t.promoters} · ${formatNumber(q.nps.passives, lang, 0)} ${t.passives} · ${formatNumber(q.nps.detractors, lang, 0)} ${t.detractors}`,
              }
            : null,
        topBox:
          q.topBox && q.topBox.share !== null
            ? {
                share: pct(q.topBox.share, lang),
                interval: intervalText(q.topBox.ci95, lang, t, 100, 1),
              }
            : null,
        chart,
        chartTitle: fill(t.distributionOf, { question: text }),
        table: chart?.bars.map((b) => ({
          value: b.label,
          count: formatNumber(Number(q.distribution?.[b.label] ?? 0), lang, 0),
          share: pct(b.share, lang),
        })),
      };
    });
  const nameOf = (u: { unitCode: string; unitName?: string }) =>
    u.unitName || unitName(ctx, u.unitCode);
  const units = [...report.units]
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
    .map((u) => ({
      code: u.unitCode,
      name: nameOf(u),
      hidden: u.suppressed === true,
      noData: u.suppressed !== true && (u.n ?? 0) === 0,
      n: u.suppressed ? '' : formatNumber(u.n ?? 0, lang, 0),
      // An NPS headline reads as NPS per unit (−100…100), as on the question card.
      headline: u.suppressed
        ? null
        : u.headlineNps !== undefined
          ? formatNumber(u.headlineNps, lang, 1)
          : u.headline === undefined || u.headline === null
            ? null
            : formatNumber(u.headline, lang, 2, 2),
    }));
  const headlineQ = byKey.get(campaign.headline);
  return {
    t,
    campaign: report.campaign,
    isInternal: report.campaign.audience === 'internal',
    notReleased: report.resultsReleased === false,
    audienceLabel: report.campaign.audience === 'internal' ? t.internal : t.external,
    responses: formatNumber(report.responses, lang, 0),
    invited: formatNumber(report.invited, lang, 0),
    responseRate: pct(report.responseRate, lang),
    questions,
    units,
    hiddenLabel,
    headlineText: questionText(headlineQ, lang),
    headlineIsNps: headlineQ?.type === 'nps',
    hasOther: report.questions.some((q) => !isNumericType(q.type)),
    hasText: report.questions.some((q) => q.type === 'text'),
    change: waveChangeView(report.change, lang),
  };
}
