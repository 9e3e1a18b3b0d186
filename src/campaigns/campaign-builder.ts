/**
 * The questionnaire builder of the admin pages: the form's state (as typed), the steps it offers
 * (add, edit, reorder, duplicate, remove, library items), and the definition it stands for. Pure:
 * the definition is validated by the same DTOs and service rules as POST /api/campaigns, and their
 * field errors are turned into messages next to the builder's fields here.
 */
import type { FieldError } from '../common/domain-error.js';
import { isLanguage, LANGUAGES, type Language } from '../domain/language.js';
import { isNumericType, QUESTION_TYPES, type QuestionType } from '../domain/questions.js';
import type { CampaignDefinitionInput, QuestionInput } from './campaign-definition.js';
import type { BuilderFormDto, CampaignView } from './campaigns.dto.js';
import { translate } from '../common/messages.js';
import { libraryItem } from './question-library.js';

export type Texts = Record<Language, string>;

export interface BuilderOption {
  value: string;
  label: Texts;
}

export interface BuilderQuestion {
  key: string;
  type: string;
  required: boolean;
  multiple: boolean;
  providerUnitCode: string;
  text: Texts;
  options: BuilderOption[];
}

export interface BuilderState {
  name: string;
  audience: string;
  wave: string;
  anonymous: boolean;
  languages: string[];
  /** As the datetime-local control shows it (UTC, no zone). */
  closesAt: string;
  headline: string;
  questions: BuilderQuestion[];
  /** The "new question" fields, kept as typed until added. */
  draft: BuilderQuestion;
}

export type BuilderStep =
  | { kind: 'save' }
  | { kind: 'refresh' }
  /** Confirmed: the campaign becomes external and its questions' provider units are removed. */
  | { kind: 'external' }
  | { kind: 'add' }
  | { kind: 'library'; id: string }
  | { kind: 'up' | 'down' | 'duplicate' | 'remove'; index: number };

const emptyTexts = (): Texts => ({ en: '', it: '' });

export const blankQuestion = (): BuilderQuestion => ({
  key: '',
  type: 'csat',
  required: true,
  multiple: false,
  providerUnitCode: '',
  text: emptyTexts(),
  options: [],
});

/** A new campaign: internal ones are anonymous by default, external ones are not. */
export function newBuilderState(audience: unknown): BuilderState {
  const external = audience === 'external';
  return {
    name: '',
    audience: external ? 'external' : 'internal',
    wave: '',
    anonymous: !external,
    languages: ['en', 'it'],
    closesAt: '',
    headline: '',
    questions: [],
    draft: blankQuestion(),
  };
}

const textsOf = (t: Partial<Record<Language, string | null>> | undefined): Texts => ({
  en: t?.en ?? '',
  it: t?.it ?? '',
});

const fromQuestion = (q: QuestionInput): BuilderQuestion => ({
  key: q.key,
  type: q.type,
  required: q.required ?? false,
  multiple: q.type === 'choice' && Boolean(q.multiple),
  providerUnitCode: q.providerUnitCode ?? '',
  text: textsOf(q.text),
  options: (q.options ?? []).map((o) => ({ value: o.value, label: textsOf(o.label) })),
});

/** A stored campaign as the builder shows it. */
export function builderStateOf(c: CampaignView): BuilderState {
  return {
    name: c.name,
    audience: c.audience,
    wave: c.wave,
    anonymous: c.anonymous,
    languages: [...c.languages],
    closesAt: c.closesAt ? c.closesAt.slice(0, 16) : '',
    headline: c.headline,
    questions: c.questions.map((q) =>
      fromQuestion({ ...q, options: q.options ?? null, text: q.text }),
    ),
    draft: blankQuestion(),
  };
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** The builder form as posted: parallel lists, one entry per question (and per option row). */
export function builderStateFromForm(form: BuilderFormDto): BuilderState {
  const keys = list(form.qKey);
  const types = list(form.qType);
  const required = list(form.qRequired);
  const multiple = list(form.qMultiple);
  const providers = list(form.qProvider);
  const textEn = list(form.qTextEn);
  const textIt = list(form.qTextIt);
  const questions: BuilderQuestion[] = keys.map((key, i) => ({
    key: key.trim(),
    type: types[i] ?? 'text',
    required: required[i] === 'yes',
    multiple: multiple[i] === 'yes',
    providerUnitCode: (providers[i] ?? '').trim(),
    text: { en: textEn[i] ?? '', it: textIt[i] ?? '' },
    options: [],
  }));
  const optQ = list(form.optQ);
  const optValue = list(form.optValue);
  const optEn = list(form.optEn);
  const optIt = list(form.optIt);
  optQ.forEach((q, k) => {
    const option = {
      value: (optValue[k] ?? '').trim(),
      label: { en: optEn[k] ?? '', it: optIt[k] ?? '' },
    };
    const target = q === 'new' ? undefined : questions[Number(q)];
    if (!isBlankOption(option) && target) target.options.push(option);
  });
  const draft: BuilderQuestion = {
    key: (form.nKey ?? '').trim(),
    type: form.nType ?? 'csat',
    required: form.nRequired !== 'no',
    multiple: form.nMultiple === 'yes',
    providerUnitCode: (form.nProvider ?? '').trim(),
    text: { en: form.nTextEn ?? '', it: form.nTextIt ?? '' },
    options: optQ
      .map((q, k) => ({
        q,
        value: (optValue[k] ?? '').trim(),
        label: { en: optEn[k] ?? '', it: optIt[k] ?? '' },
      }))
      .filter((o) => o.q === 'new' && !isBlankOption(o))
      .map(({ value, label }) => ({ value, label })),
  };
  return {
    name: form.name ?? '',
    audience: form.audience ?? '',
    wave: form.wave ?? '',
    anonymous: form.anonymous === 'true',
    languages: list(form.languages),
    closesAt: form.closesAt ?? '',
    headline: form.headline ?? '',
    questions,
    draft,
  };
}

const isBlankOption = (o: BuilderOption) =>
  o.value === '' && o.label.en.trim() === '' && o.label.it.trim() === '';

const isBlankQuestion = (q: BuilderQuestion) =>
  q.key === '' && q.text.en.trim() === '' && q.text.it.trim() === '' && q.options.length === 0;

/**
 * `op` values: save, refresh (save and stay), add, external (confirmed switch to external),
 * lib:<id>, up:<i>, down:<i>, dup:<i>, del:<i>.
 */
export function parseStep(op: string | undefined): BuilderStep {
  const m = /^(lib|up|down|dup|del):([a-z0-9_]{1,40})$/.exec(op ?? '');
  if (op === 'add') return { kind: 'add' };
  if (op === 'refresh') return { kind: 'refresh' };
  if (op === 'external') return { kind: 'external' };
  if (!m) return { kind: 'save' };
  if (m[1] === 'lib') return { kind: 'library', id: m[2] };
  const index = Number(m[2]);
  if (!Number.isInteger(index)) return { kind: 'save' };
  const kinds = { up: 'up', down: 'down', dup: 'duplicate', del: 'remove' } as const;
  return { kind: kinds[m[1] as keyof typeof kinds], index };
}

/** Applies one step; returns the new state and the index of the question it concerns. */
export function applyStep(
  state: BuilderState,
  step: BuilderStep,
): { state: BuilderState; focus?: number } {
  const questions = state.questions.map((q) => ({ ...q, options: [...q.options] }));
  let draft = state.draft;
  let focus: number | undefined;
  // Something typed into "new question" is never thrown away: any step adds it.
  if (step.kind === 'add' || !isBlankQuestion(draft)) {
    if (!isBlankQuestion(draft) || step.kind === 'add') {
      questions.push({ ...draft, key: uniqueKey(draft.key || keyFrom(draft), questions) });
      focus = questions.length - 1;
    }
    draft = blankQuestion();
  }
  const at = 'index' in step ? step.index : -1;
  const exists = at >= 0 && at < questions.length;
  switch (step.kind) {
    case 'external':
      questions.forEach((q) => (q.providerUnitCode = ''));
      break;
    case 'library': {
      const item = libraryItem(step.id);
      if (item) {
        const q = fromQuestion(item.question);
        questions.push({ ...q, key: uniqueKey(q.key, questions) });
        focus = questions.length - 1;
      }
      break;
    }
    case 'up':
      if (exists && at > 0) {
        [questions[at - 1], questions[at]] = [questions[at], questions[at - 1]];
        focus = at - 1;
      }
      break;
    case 'down':
      if (exists && at < questions.length - 1) {
        [questions[at + 1], questions[at]] = [questions[at], questions[at + 1]];
        focus = at + 1;
      }
      break;
    case 'duplicate':
      if (exists) {
        const copy = { ...questions[at], options: questions[at].options.map((o) => ({ ...o })) };
        copy.key = uniqueKey(copy.key || keyFrom(copy), questions);
        questions.splice(at + 1, 0, copy);
        focus = at + 1;
      }
      break;
    case 'remove':
      if (exists) {
        questions.splice(at, 1);
        focus = Math.min(at, questions.length - 1);
      }
      break;
    default:
      break;
  }
  // Short names the admin left blank are made from the question's text.
  questions.forEach((q, i) => {
    if (q.key === '') q.key = uniqueKey(keyFrom(q), questions.slice(0, i));
  });
  const next = {
    ...state,
    ...(step.kind === 'external' ? { audience: 'external' } : {}),
    questions,
    draft,
  };
  return { state: { ...next, headline: headlineOf(next) }, focus };
}

/** The notice a step's redirect asks for (`?done=`): builder.notice.<code>. */
export function doneOf(step: BuilderStep, created: boolean): string {
  if (created) return 'created';
  const done: Record<BuilderStep['kind'], string> = {
    save: 'saved',
    refresh: 'saved',
    external: 'external',
    add: 'added',
    library: 'added',
    up: 'moved',
    down: 'moved',
    duplicate: 'duplicated',
    remove: 'removed',
  };
  return done[step.kind];
}

/** The questions the headline may be: numeric and not rating a provider unit. */
export const eligibleHeadlines = (state: BuilderState): BuilderQuestion[] =>
  state.questions.filter((q) => isNumericType(q.type) && q.providerUnitCode === '');

/** The chosen headline while it is eligible, else the first eligible question. */
function headlineOf(state: BuilderState): string {
  const eligible = eligibleHeadlines(state);
  if (eligible.some((q) => q.key === state.headline)) return state.headline;
  return eligible[0]?.key ?? state.headline;
}

/** Words that say nothing about a question, left out of the keys made from its text. */
const STOP_WORDS = new Set(
  (
    'the and are you your with how what which who why did does was were our for from this that ' +
    'would could should have has can will any there about into its all not per con che del della ' +
    'dei delle per una uno sua suo lei loro come quanto quale quali cosa sono stato stata nel'
  ).split(' '),
);

/** A key from the question's text: the first few words, lower case, a-z 0-9 _. */
export function keyFrom(q: Pick<BuilderQuestion, 'text' | 'type'>): string {
  const source = q.text.en.trim() || q.text.it.trim() || q.type;
  const words = source
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  const long = words.filter((w) => w.length > 2 && !STOP_WORDS.has(w));
  const picked = (long.length ? long : words).slice(0, 3);
  return (picked.join('_') || (QUESTION_TYPES.includes(q.type as QuestionType) ? q.type : 'q'))
    .slice(0, 36)
    .replace(/_+$/, '');
}

function uniqueKey(key: string, others: readonly BuilderQuestion[]): string {
  const taken = new Set(others.map((q) => q.key));
  if (!taken.has(key)) return key;
  for (let n = 2; ; n++) {
    const candidate = `${key.slice(0, 36)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** `<input type="datetime-local">` sends no zone: the form says the time is UTC. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** The definition the builder stands for: the body POST /api/campaigns would take. */
export function definitionOf(state: BuilderState): Record<string, unknown> {
  const languages = state.languages.filter(isLanguage);
  const pick = (t: Texts) => Object.fromEntries(languages.map((l) => [l, t[l].trim()]));
  const closesAt = state.closesAt.trim();
  return {
    name: state.name.trim(),
    audience: state.audience,
    wave: state.wave.trim(),
    anonymous: state.anonymous,
    languages: state.languages,
    closesAt: closesAt === '' ? null : LOCAL_DATE_TIME.test(closesAt) ? `${closesAt}Z` : closesAt,
    headline: state.headline,
    questions: state.questions.map((q) => ({
      key: q.key,
      type: q.type,
      required: q.required,
      text: pick(q.text),
      // External: the service refuses the save while a question has a unit (droppedProviderUnits).
      ...(q.providerUnitCode && state.audience === 'internal'
        ? { providerUnitCode: q.providerUnitCode }
        : {}),
      ...(q.type === 'choice'
        ? {
            multiple: q.multiple,
            options: q.options.map((o) => ({
              value: o.value || keyFrom({ text: o.label, type: 'choice' }),
              label: pick(o.label),
            })),
          }
        : {}),
    })),
  };
}

/** The same definition for the copy of a campaign: everything but the name, wave and closing time. */
export const copyDefinition = (
  c: CampaignView,
  wave: string,
  name: string,
): CampaignDefinitionInput => ({
  name,
  audience: c.audience,
  wave,
  anonymous: c.anonymous,
  languages: [...c.languages],
  closesAt: null,
  headline: c.headline,
  questions: c.questions.map((q) => ({
    key: q.key,
    type: q.type,
    required: q.required,
    text: { ...q.text },
    ...(q.providerUnitCode ? { providerUnitCode: q.providerUnitCode } : {}),
    ...(q.type === 'choice' ? { multiple: q.multiple, options: q.options ?? [] } : {}),
  })),
});

/** The next period label: 2026-Q2 → 2026-Q3, 2026-Q4 → 2027-Q1, 2026-H1 → 2026-H2, 2026 → 2027, W7 → W8. */
export function nextWave(wave: string): string {
  const q = /^(\d{4})([-_ ]?)Q([1-4])$/i.exec(wave);
  if (q) {
    const [year, quarter] = [Number(q[1]), Number(q[3])];
    return quarter === 4 ? `${year + 1}${q[2]}Q1` : `${year}${q[2]}Q${quarter + 1}`;
  }
  const h = /^(\d{4})([-_ ]?)H([12])$/i.exec(wave);
  if (h) return h[3] === '2' ? `${Number(h[1]) + 1}${h[2]}H1` : `${h[1]}${h[2]}H2`;
  const m = /^(\d{4})-(\d{2})$/.exec(wave);
  if (m) {
    const month = Number(m[2]);
    return month === 12
      ? `${Number(m[1]) + 1}-01`
      : `${m[1]}-${String(month + 1).padStart(2, '0')}`;
  }
  const n = /^(.*?)(\d+)$/.exec(wave);
  if (n) return `${n[1]}${String(Number(n[2]) + 1).padStart(n[2].length, '0')}`;
  return wave ? `${wave} 2`.slice(0, 40) : '';
}

/** The control of the builder an error belongs to (the id of its input). */
export function builderFieldOf(field: string): string {
  let m = /^questions\[(\d+)\]\.options\[(\d+)\]\.(value|label)(?:\.(en|it))?/.exec(field);
  if (m)
    return m[3] === 'value' ? `q${m[1]}-opt${m[2]}-value` : `q${m[1]}-opt${m[2]}-${m[4] ?? 'en'}`;
  m =
    /^questions\[(\d+)\]\.(key|type|required|multiple|providerUnitCode|options|text)(?:\.(en|it))?/.exec(
      field,
    );
  if (m) {
    const part =
      m[2] === 'text' ? `text-${m[3] ?? 'en'}` : m[2] === 'providerUnitCode' ? 'provider' : m[2];
    return `q${m[1]}-${part}`;
  }
  m = /^questions\[(\d+)\]/.exec(field);
  if (m) return `q${m[1]}-text-en`;
  const top = /^[A-Za-z]+/.exec(field)?.[0] ?? '';
  if (top === 'audience') return 'audience-internal';
  if (top === 'languages') return 'languages-en';
  if (top === 'questions') return 'new-text-en';
  return ['name', 'wave', 'anonymous', 'closesAt', 'headline'].includes(top) ? top : 'name';
}

/** A language by its own name (English, Italiano), as language pickers show it. */
export const ownLanguageName = (lang: Language): string =>
  translate(lang, `builder.language.${lang}`).replace(/^./, (c) => c.toUpperCase());

/** The name of a language inside a sentence of the page ("Write the question in Italian."). */
export const languageName = (lang: Language, page: Language): string =>
  translate(page, `builder.language.${lang}`);

/** A message an admin understands, for the field it is shown next to (never a path or JSON). */
export function friendlyMessage({ field, message }: FieldError, page: Language = 'en'): string {
  const t = (key: string, vars?: Record<string, unknown>) =>
    translate(page, `builder.error.${key}`, vars);
  const lang = /\.(en|it)$/.exec(field)?.[1] as Language | undefined;
  const language = lang ? languageName(lang, page) : t('everyLanguage');
  if (/^questions\[\d+\]\.options\[\d+\]\.label\./.test(field)) {
    if (/required/.test(message)) return t('optionRequired', { language });
    if (/not one of/.test(message)) return t('notCampaignLanguage', { language });
    if (/longer|shorter|characters/.test(message)) return t('optionLength');
  }
  if (/^questions\[\d+\]\.options\[\d+\]\.value/.test(field)) {
    if (/already used/.test(message)) return t('optionCodeTaken');
    return t('optionCode');
  }
  if (/^questions\[\d+\]\.text\./.test(field)) {
    if (/required/.test(message)) return t('textRequired', { language });
    if (/not one of/.test(message)) return t('notCampaignLanguage', { language });
    if (/longer|shorter|characters/.test(message)) return t('textLength');
  }
  if (/^questions\[\d+\]\.key/.test(field)) {
    if (/already used/.test(message)) return t('keyTaken');
    return t('key');
  }
  if (/^questions\[\d+\]\.type/.test(field)) return t('type');
  if (/^questions\[\d+\]\.options$/.test(field)) {
    if (/only choice/.test(message)) return t('onlyChoiceOptions');
    return t('options');
  }
  if (/^questions\[\d+\]\.providerUnitCode/.test(field)) {
    if (/internal/.test(message)) return t('providerInternal');
    if (/numeric/.test(message)) return t('providerNumeric');
    if (/unknown/.test(message)) return t('providerUnknown');
  }
  if (field === 'questions') return t('questions');
  if (field === 'name')
    return t(
      /blank|must be a string/.test(message)
        ? 'name'
        : /single line/.test(message)
          ? 'nameLine'
          : 'nameLength',
    );
  if (field === 'wave') return t('wave');
  if (field === 'audience') {
    const drops = /^(\d+) question\(s\) rate a provider unit/.exec(message);
    if (drops)
      return translate(page, `builder.external.refused${drops[1] === '1' ? 'One' : 'Other'}`, {
        count: Number(drops[1]),
      });
    return t('audience');
  }
  if (field.startsWith('languages')) return t('languages');
  if (field === 'closesAt')
    return t(
      /future/.test(message)
        ? 'closesFuture'
        : /opensAt/.test(message)
          ? 'closesAfterOpens'
          : 'closesAt',
    );
  if (field === 'headline') return t('headline');
  return message.replace(/^questions\[\d+\](\.[\w.[\]]+)?:?\s*/, '');
}

/** The questions an external campaign would lose the provider unit of (rated units are internal). */
export const droppedProviderUnits = (state: BuilderState): number[] =>
  state.audience === 'external'
    ? state.questions.flatMap((q, i) => (q.providerUnitCode !== '' ? [i] : []))
    : [];

export { LANGUAGES };
