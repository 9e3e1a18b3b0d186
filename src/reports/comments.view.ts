/**
 * The comments page's view model: plain text only (the template escapes it), every word from
 * `locales/<lang>/comments.json`; numbers stay numbers for `{{num}}`.
 */
import { translate } from '../common/messages.js';
import type { Language } from '../domain/language.js';
import type { CommentsJson } from './comments.service.js';
import { reportStrings } from './report-pages.i18n.js';

export interface CommentsPageModel {
  title: string;
  t: ReturnType<typeof reportStrings>;
  campaign: CommentsJson['campaign'];
  reportHref: string;
  internal: boolean;
  notReleased: boolean;
  noQuestion: boolean;
  noGroup: boolean;
  minCommentGroupSize: number | null;
  questions: Array<{ key: string; label: string; selected: boolean }>;
  groups: Array<{ value: string; label: string; selected: boolean }>;
  showForm: boolean;
  question: string | null;
  questionLabel: string;
  groupLabel: string;
  q: string;
  total: number;
  matching: number;
  searching: boolean;
  empty: boolean;
  comments: Array<{ text: string; unit: string | null; lang: string }>;
  page: number;
  pageCount: number;
  prevHref: string | null;
  nextHref: string | null;
}

const textOf = (text: Record<string, string>, key: string, lang: Language) =>
  text[lang] ?? Object.values(text)[0] ?? key;

export function commentsView(data: CommentsJson, lang: Language): CommentsPageModel {
  const id = data.campaign.id;
  const internal = data.campaign.audience === 'internal';
  const campaignWide = translate(lang, 'comments.campaignWide');
  const groupName = (g: CommentsJson['groups'][number]) =>
    g.unitCode === null ? campaignWide : `${g.unitName ?? g.unitCode} (${g.unitCode})`;
  const href = (page: number) => {
    const p = new URLSearchParams();
    if (data.question) p.set('question', data.question);
    if (data.group?.unitCode) p.set('unit', data.group.unitCode);
    if (data.q) p.set('q', data.q);
    p.set('page', String(page));
    p.set('lang', lang);
    return `/reports/campaigns/${id}/comments?${p.toString()}`;
  };
  const question = data.questions.find((q) => q.key === data.question);
  return {
    title: translate(lang, 'comments.title', { name: data.campaign.name }),
    t: reportStrings(lang),
    campaign: data.campaign,
    reportHref: `/reports/campaigns/${id}?lang=${lang}`,
    internal,
    notReleased: !data.released,
    noQuestion: data.released && data.question === null,
    noGroup: data.released && data.question !== null && data.group === null,
    minCommentGroupSize: data.minCommentGroupSize,
    questions: data.questions.map((q) => ({
      key: q.key,
      label: textOf(q.text, q.key, lang),
      selected: q.key === data.question,
    })),
    groups: data.groups.map((g) => ({
      value: g.unitCode ?? '',
      label: groupName(g),
      selected: data.group !== null && g.unitCode === data.group.unitCode,
    })),
    showForm: data.released && data.question !== null,
    question: data.question,
    questionLabel: question ? textOf(question.text, question.key, lang) : '',
    groupLabel: data.group ? groupName(data.group) : '',
    q: data.q,
    total: data.total,
    matching: data.matching,
    searching: data.q !== '',
    empty: data.group !== null && data.matching === 0,
    comments: data.comments.map((c) => ({
      text: c.text,
      unit: c.unit ? `${c.unit.name} (${c.unit.code})` : null,
      // The language of a comment is not known (an internal one must not tell it anyway): lang="".
      lang: !internal && c.language ? c.language : '',
    })),
    page: data.page,
    pageCount: data.pageCount,
    prevHref: data.page > 1 ? href(data.page - 1) : null,
    nextHref: data.page < data.pageCount ? href(data.page + 1) : null,
  };
}
