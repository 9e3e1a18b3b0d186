/**
 * The view model of /admin/campaigns/:id/progress: the API's progress with every word from the
 * message files (locales/<lang>/progress.json) and the days formatted for the page's language.
 * Numbers stay numbers: the template formats them with {{num}} and {{pct}}.
 */
import { formatNumber } from '../common/format.js';
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import type { CampaignProgressJson, UnitProgressStatus } from './progress.dto.js';

const DAY_FORMATS = new Map<Language, Intl.DateTimeFormat>();

/** `2026-03-02` as "2 Mar 2026" / "2 mar 2026" (UTC days). */
export function formatDay(day: string, lang: Language): string {
  let format = DAY_FORMATS.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    DAY_FORMATS.set(lang, format);
  }
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : format.format(date);
}

/** A small bar chart of the responses per day (campaign-wide), in SVG user units. */
export interface DailyChart {
  width: number;
  height: number;
  baseline: number;
  bars: { x: number; y: number; width: number; height: number; title: string }[];
}

const CHART = { width: 600, height: 120, top: 8, bottom: 8 };
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * One bar per day with answers (at most 40 units wide, from the left), scaled to the busiest day;
 * each bar's title says its day and count. None for fewer than two days: one bar shows nothing.
 */
export function dailyChart(
  daily: readonly { day: string; responses: number }[],
  titleOf: (day: string, responses: number) => string,
): DailyChart | null {
  if (daily.length < 2) return null;
  const max = Math.max(1, ...daily.map((d) => d.responses));
  const baseline = CHART.height - CHART.bottom;
  const slot = Math.min(40, CHART.width / daily.length);
  const gap = Math.min(4, slot * 0.2);
  return {
    width: CHART.width,
    height: CHART.height,
    baseline,
    bars: daily.map((d, i) => {
      const height = round1(((baseline - CHART.top) * d.responses) / max);
      return {
        x: round1(i * slot + gap / 2),
        y: round1(baseline - height),
        width: round1(slot - gap),
        height,
        title: titleOf(d.day, d.responses),
      };
    }),
  };
}

export interface ProgressPageModel {
  lang: Language;
  title: string;
  nav: true;
  wide: true;
  campaign: CampaignProgressJson['campaign'];
  internal: boolean;
  audienceLabel: string;
  statusLabel: string;
  invited: number;
  responses: number;
  responseRate: number | null;
  remindersSent: number;
  daysLeft: number | null;
  k: number | null;
  /** Internal, open: what the statuses reflect ('' when there is no checkpoint yet). */
  asOf: string | null;
  noCheckpointYet: boolean;
  open: boolean;
  daily: { day: string; responses: number }[];
  maxDaily: number;
  /** The per-day bars of the small chart above the table (SVG user units), null without days. */
  chart: DailyChart | null;
  units: {
    unitCode: string;
    unitName: string;
    invited: number;
    responses?: number;
    responseRate?: number | null;
    status?: UnitProgressStatus;
    statusLabel?: string;
  }[];
}

export function progressPage(p: CampaignProgressJson, lang: Language): ProgressPageModel {
  const t = (key: string, vars?: Record<string, unknown>) =>
    translate(lang, `progress.${key}`, vars);
  const internal = p.campaign.audience === 'internal';
  const open = p.campaign.status === 'open';
  return {
    lang,
    title: t('title', { name: p.campaign.name }),
    nav: true,
    wide: true,
    campaign: p.campaign,
    internal,
    audienceLabel: t(`audience.${p.campaign.audience}`),
    statusLabel: t(`campaignStatus.${p.campaign.status}`),
    invited: p.invited,
    responses: p.responses,
    responseRate: p.responseRate,
    remindersSent: p.remindersSent,
    daysLeft: p.daysLeft,
    k: p.minGroupSize,
    asOf: p.statusAsOf ? formatDay(p.statusAsOf, lang) : null,
    noCheckpointYet: internal && open && !p.statusAsOf,
    open,
    daily: p.daily.map((d) => ({ day: formatDay(d.day, lang), responses: d.responses })),
    maxDaily: p.daily.reduce((m, d) => Math.max(m, d.responses), 0),
    chart: dailyChart(p.daily, (day, n) =>
      t('daily.bar', { day: formatDay(day, lang), count: formatNumber(n, lang) }),
    ),
    units: p.units.map((u) => ({
      ...u,
      ...(u.status ? { statusLabel: t(`status.${u.status}`, { k: p.minGroupSize ?? '' }) } : {}),
    })),
  };
}
