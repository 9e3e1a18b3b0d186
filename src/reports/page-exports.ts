/**
 * The tables of a /reports page's CSV and XLSX download, built from the same service result the
 * page renders (so the release gate, the filters and the options of the address apply exactly as
 * on the page) and following the page's own choices: which rows it lists, in which order, what it
 * says instead of a hidden figure. Pure.
 *
 * Conventions of every page export:
 * - column names are stable English identifiers (like the API's JSON and the raw CSV); texts the
 *   page shows (question texts, unit names, sentences) are in the page's language;
 * - figures are numbers rounded as the page rounds them (`fixed`), shares in percent (`_pct`);
 * - a figure the page does not show is an empty cell, and a `status` column says why, with the
 *   page's own words: `shown`, `hidden` (withheld by the release decision: below k or protecting
 *   another group), `no_data`;
 * - the first table, `about`, says when, what and with which options the file was made.
 */
import type { CampaignView } from '../campaigns/campaigns.dto.js';
import { QUESTION_SCALES, isNumericType } from '../domain/questions.js';
import type { Language } from '../domain/language.js';
import type { CommentsJson } from './comments.service.js';
import type { Cell, ExportTable } from './export-files.js';
import { questionText } from './report-page.js';
import type { CampaignReportJson } from './reports.dto.js';
import type { FigureChangeJson, WaveChangeJson } from './wave-change.js';

const ROUNDERS = new Map<number, Intl.NumberFormat>();

/**
 * `value` rounded to `digits` decimals exactly as the pages round it (Intl, the rule of
 * `formatNumber`), as a number; null stays null.
 */
export function fixed(value: number | null | undefined, digits: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  let format = ROUNDERS.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, useGrouping: false });
    ROUNDERS.set(digits, format);
  }
  const rounded = Number(format.format(value));
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A share 0…1 as a percentage with the page's one decimal. */
export const percent = (share: number | null | undefined): number | null =>
  share === null || share === undefined ? null : fixed(share * 100, 1);

export interface AboutInput {
  /** The page's address the file reproduces (path and query, without the extension). */
  page: string;
  lang: Language;
  campaigns: string[];
  /** The options of the address, [name, value], in order. */
  options: Array<[string, string]>;
  k: number;
  commentK: number;
  at?: Date;
}

/** The `about` table: one [field, value] row per fact. */
export function aboutTable(input: AboutInput, extra: Array<[string, Cell]> = []): ExportTable {
  const rows: Cell[][] = [
    ['generated_at', (input.at ?? new Date()).toISOString()],
    ['page', input.page],
    ['language', input.lang],
    ...input.campaigns.map((name): Cell[] => ['campaign', name]),
    ...input.options.map(([key, value]): Cell[] => [`option.${key}`, value]),
    ['min_group_size', input.k],
    ['min_comment_group_size', input.commentK],
    ...extra.map(([key, value]): Cell[] => [key, value]),
  ];
  return { name: 'about', columns: ['field', 'value'], rows };
}

/** The address of the page an export URL reproduces: `/x/y.csv?a=1` → `/x/y?a=1`. */
export function pageOfExport(url: string): { page: string; options: Array<[string, string]> } {
  const u = new URL(url, 'http://x');
  const path = u.pathname.replace(/\.(csv|xlsx)$/, '');
  const options = [...u.searchParams.entries()].filter(([key]) => key !== 'lang');
  return { page: path + u.search, options };
}

/** `/reports/campaigns/:id`: the figures, the distributions and the units of the results page. */
export function campaignReportTables(
  report: CampaignReportJson,
  campaign: CampaignView,
  lang: Language,
): ExportTable[] {
  const byKey = new Map(campaign.questions.map((q) => [q.key, q]));
  const numeric = report.questions.filter((q) => isNumericType(q.type));
  const status = (hidden: boolean, hasData: boolean) =>
    hidden ? 'hidden' : hasData ? 'shown' : 'no_data';

  const summary: ExportTable = {
    name: 'summary',
    columns: ['campaign', 'wave', 'audience', 'invited', 'responses', 'response_rate_pct'],
    rows: [
      [
        report.campaign.name,
        report.campaign.wave,
        report.campaign.audience,
        report.invited,
        report.responses,
        percent(report.responseRate),
      ],
    ],
  };

  const questions: ExportTable = {
    name: 'questions',
    columns: [
      'question_key',
      'question',
      'headline',
      'status',
      'n',
      'mean',
      'nps',
      'nps_ci_low',
      'nps_ci_high',
      'promoters',
      'passives',
      'detractors',
      'top_box_pct',
      'top_box_ci_low_pct',
      'top_box_ci_high_pct',
    ],
    rows: numeric.map((q): Cell[] => {
      const hidden = q.suppressed === true;
      const hasData = !hidden && (q.n ?? 0) > 0;
      const text = questionText(byKey.get(q.key), lang) || q.key;
      const head = [q.key, text, q.key === campaign.headline ? 'yes' : 'no'];
      if (!hasData) return [...head, status(hidden, hasData)];
      const nps = q.nps && q.nps.score !== null ? q.nps : null;
      const top = q.topBox && q.topBox.share !== null ? q.topBox : null;
      return [
        ...head,
        'shown',
        q.n ?? 0,
        fixed(q.mean, 2),
        fixed(nps?.score, 1),
        fixed(nps?.ci95?.[0], 1),
        fixed(nps?.ci95?.[1], 1),
        nps?.promoters ?? null,
        nps?.passives ?? null,
        nps?.detractors ?? null,
        percent(top?.share),
        percent(top?.ci95?.[0]),
        percent(top?.ci95?.[1]),
      ];
    }),
  };

  // The data table under each chart: every scale value, its count and share.
  const distribution: ExportTable = {
    name: 'distribution',
    columns: ['question_key', 'value', 'count', 'share_pct'],
    rows: numeric.flatMap((q): Cell[][] => {
      if (q.suppressed === true || (q.n ?? 0) <= 0 || !q.distribution) return [];
      const scale = QUESTION_SCALES[q.type as keyof typeof QUESTION_SCALES];
      const values = Array.from({ length: scale.max - scale.min + 1 }, (_, j) => scale.min + j);
      const counts = values.map((v) => Number(q.distribution?.[String(v)] ?? 0));
      const total = counts.reduce((s, c) => s + c, 0);
      return values.map((v, i) => [q.key, v, counts[i], percent(total ? counts[i] / total : 0)]);
    }),
  };

  const nameOf = (u: { unitCode: string; unitName?: string }) => u.unitName || u.unitCode;
  const units: ExportTable = {
    name: 'units',
    columns: ['unit_code', 'unit', 'status', 'n', 'headline_mean', 'headline_nps'],
    rows: [...report.units]
      .sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
      .map((u): Cell[] => {
        const hidden = u.suppressed === true;
        const hasData = !hidden && (u.n ?? 0) > 0;
        if (!hasData) return [u.unitCode, nameOf(u), status(hidden, hasData)];
        return [
          u.unitCode,
          nameOf(u),
          'shown',
          u.n ?? 0,
          fixed(u.headline, 2),
          fixed(u.headlineNps, 1),
        ];
      }),
  };
  return [summary, questions, distribution, units, ...changeTables(report.change)];
}

/**
 * The page's "change since the previous wave": one row per headline figure (mean; NPS in points;
 * top box in percentage points) and one per unit that moved most, or one row saying why nothing is
 * compared (`status`, as in the API). Nothing when the report has no change (a filtered report).
 */
function changeTables(change: WaveChangeJson | undefined): ExportTable[] {
  if (!change) return [];
  const columns = [
    'status',
    'figure',
    'unit_code',
    'unit',
    'previous_wave',
    'n_previous',
    'n_current',
    'previous',
    'current',
    'difference',
    'ci_low',
    'ci_high',
    'within_noise',
  ];
  const wave = change.previous?.wave ?? null;
  const noise = (w: boolean | null) => (w === null ? null : w ? 'yes' : 'no');
  if (change.status !== 'compared')
    return [{ name: 'change', columns, rows: [[change.status, null, null, null, wave]] }];
  const figure = (
    name: string,
    f: FigureChangeJson | null | undefined,
    scale: number,
    digits: number,
  ): Cell[][] =>
    f
      ? [
          [
            'compared',
            name,
            null,
            null,
            wave,
            null,
            null,
            fixed(f.previous * scale, digits),
            fixed(f.current * scale, digits),
            fixed(f.difference * scale, digits),
            fixed(f.ci95 && f.ci95[0] * scale, digits),
            fixed(f.ci95 && f.ci95[1] * scale, digits),
            noise(f.withinNoise),
          ],
        ]
      : [];
  return [
    {
      name: 'change',
      columns,
      rows: [
        ...figure('mean', change.mean, 1, 2),
        ...figure('nps', change.nps, 1, 1),
        ...figure('top_box_pct', change.topBox, 100, 1),
        ...change.movers.map((m): Cell[] => [
          'compared',
          'unit_mean',
          m.unitCode,
          m.unitName,
          wave,
          m.previous.n,
          m.current.n,
          fixed(m.previous.mean, 2),
          fixed(m.current.mean, 2),
          fixed(m.difference, 2),
          fixed(m.ci95?.[0], 2),
          fixed(m.ci95?.[1], 2),
          noise(m.withinNoise),
        ]),
      ],
    },
  ];
}

/**
 * `/reports/campaigns/:id/comments`: every comment the page lists for the chosen question, group
 * and search, in the page's order (all its pages, not only the one on screen); internal campaigns
 * never attributed (text only), external ones with the respondent's unit, as on the page.
 */
export function commentsTables(data: CommentsJson, lang: Language): ExportTable[] {
  const internal = data.campaign.audience === 'internal';
  const question = data.questions.find((q) => q.key === data.question);
  const questionLabel = question
    ? (question.text[lang] ?? Object.values(question.text)[0] ?? question.key)
    : '';
  const selection: ExportTable = {
    name: 'selection',
    columns: ['question_key', 'question', 'group', 'search', 'released', 'total', 'matching'],
    rows: [
      [
        data.question,
        questionLabel,
        data.group ? (data.group.unitCode ?? '(campaign)') : null,
        data.q,
        data.released ? 'yes' : 'no',
        data.group ? data.total : null,
        data.group ? data.matching : null,
      ],
    ],
  };
  const comments: ExportTable = {
    name: 'comments',
    columns: internal ? ['comment'] : ['comment', 'unit_code', 'unit'],
    rows: data.comments.map((c): Cell[] =>
      internal ? [c.text] : [c.text, c.unit?.code ?? null, c.unit?.name ?? null],
    ),
  };
  return [selection, comments];
}
