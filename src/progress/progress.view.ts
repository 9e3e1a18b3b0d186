/**
 * The view model of /admin/campaigns/:id/progress: the API's progress with every word from the
 * message files (locales/<lang>/progress.json) and the days formatted for the page's language.
 * Numbers stay numbers: the template formats them with {{num}} and {{pct}}.
 */
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
    units: p.units.map((u) => ({
      ...u,
      ...(u.status ? { statusLabel: t(`status.${u.status}`, { k: p.minGroupSize ?? '' }) } : {}),
    })),
  };
}
