import { strings, type Strings } from '../common/i18n.js';
import { translate } from '../common/messages.js';
import { isLanguage, type Language } from '../domain/language.js';
import { QUESTION_SCALES, isNumericType } from '../domain/questions.js';
import { ownLanguageName } from './campaign-builder.js';
import type { CampaignView, LocalisedTexts } from './campaigns.dto.js';

/**
 * The preview of a campaign: the respondent's form (views/respond/form.hbs) with the same view
 * model shape the respondent page uses, plus the preview bar. Its form posts back to the preview,
 * which stores nothing.
 */

/** The longest text answer (the respondent rules' limit; see API.md "text up to 5,000 characters"). */
const MAX_TEXT = 5000;

const ENDS: Record<'nps' | 'csat' | 'ces' | 'likert', [keyof Strings, keyof Strings]> = {
  nps: ['notLikely', 'extremelyLikely'],
  csat: ['veryDissatisfied', 'verySatisfied'],
  ces: ['veryDifficult', 'veryEasy'],
  likert: ['stronglyDisagree', 'stronglyAgree'],
};

const pick = (text: LocalisedTexts, lang: Language): string =>
  text[lang] ?? Object.values(text).find((v) => v) ?? '';

export function previewView(c: CampaignView, query: Record<string, unknown>) {
  const language: Language =
    isLanguage(query.lang) && c.languages.includes(query.lang) ? query.lang : c.languages[0];
  const phone = query.width === 'phone';
  const t = strings(language);
  const total = c.questions.length;
  const base = `/admin/campaigns/${c.id}/preview`;
  const href = (lang: Language, asPhone: boolean) =>
    `${base}?lang=${lang}${asPhone ? '&width=phone' : ''}`;
  const questions = c.questions.map((q, index) => {
    const common = {
      key: q.key,
      inputId: `q-${q.key}`,
      errorId: `err-${q.key}`,
      hintId: `hint-${q.key}`,
      legend: pick(q.text, language),
      number: t.questionOf.replace('{n}', String(index + 1)).replace('{total}', String(total)),
      required: q.required,
    };
    if (q.type === 'text') return { ...common, isText: true, value: '', maxLength: MAX_TEXT };
    if (q.type === 'choice')
      return {
        ...common,
        isChoice: true,
        multiple: q.multiple,
        options: (q.options ?? []).map((o, i) => ({
          value: o.value,
          id: i === 0 ? `q-${q.key}` : `q-${q.key}-${i}`,
          label: pick(o.label, language),
          checked: false,
        })),
      };
    if (!isNumericType(q.type)) return common;
    const { min, max } = QUESTION_SCALES[q.type];
    const [lo, hi] = ENDS[q.type];
    const points = [];
    for (let v = min; v <= max; v++)
      points.push({ value: v, id: v === min ? `q-${q.key}` : `q-${q.key}-${v}`, checked: false });
    return {
      ...common,
      isScale: true,
      points,
      low: `${min} – ${t[lo]}`,
      high: `${max} – ${t[hi]}`,
    };
  });
  return {
    // The page is in the previewed language throughout (html lang, the bar, the form), as the
    // page language follows ?lang= on every page.
    title: translate(language, 'builder.previewBar.title', { name: c.name }),
    lang: language,
    t,
    campaignName: c.name,
    privacyNote: c.anonymous ? t.anonymousNote : t.identifiedNote,
    action: `${base}?lang=${language}${phone ? '&width=phone' : ''}`,
    questions,
    errors: [],
    // The preview bar offers every language; the respondent's own switcher is not needed here.
    otherLanguages: [],
    preview: {
      campaignId: c.id,
      phone,
      tried: query.tried === '1',
      languages: c.languages.map((l) => ({
        name: ownLanguageName(l),
        code: l,
        href: href(l, phone),
        current: l === language,
      })),
      widthHref: href(language, !phone),
      status: c.status,
      statusName: translate(language, `builder.previewBar.status.${c.status}`),
    },
  };
}
