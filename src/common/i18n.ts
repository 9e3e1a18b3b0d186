import { isLanguage, type Language } from '../domain/language.js';
import { areaMessages, messages } from './messages.js';

/**
 * Interface strings of the respondent pages (survey, unsubscribe) and of the error pages, as one
 * typed object per language. The texts live in the message files (`locales/<lang>/respond.json`
 * and `errors.json`, the one i18n mechanism); this module only gives callers their typed names.
 */
const RESPOND_KEYS = [
  'submit',
  'required',
  'optional',
  'notLikely',
  'extremelyLikely',
  'veryDissatisfied',
  'verySatisfied',
  'stronglyDisagree',
  'stronglyAgree',
  'veryDifficult',
  'veryEasy',
  'errorSummary',
  'unavailableTitle',
  'unavailableBody',
  'thanksTitle',
  'thanksBody',
  'notFoundTitle',
  'notFoundBody',
  'answeredTitle',
  'answeredBody',
  'closedTitle',
  'closedBody',
  'tooManyTitle',
  'tooManyBody',
  'anonymousNote',
  'identifiedNote',
  'unsubscribeTitle',
  'unsubscribeBody',
  'unsubscribeButton',
  'unsubscribedTitle',
  'unsubscribedBody',
  'characters',
  'language',
  'unknownQuestion',
  'requiredError',
  'textError',
  'tooLongError',
  'choiceError',
  'choiceListError',
  'rangeError',
  'questionOf',
] as const;

/** The error page's names for the keys of `errors.json`. */
const ERROR_KEYS = {
  errorTitle400: 'title.400',
  errorTitle401: 'title.401',
  errorTitle403: 'title.403',
  errorTitle404: 'title.404',
  errorTitle409: 'title.409',
  errorTitle429: 'title.429',
  errorTitle500: 'title.500',
  errorTitle503: 'title.503',
  errorTitleOther: 'title.other',
  errorBody404: 'body.404',
  errorBody403: 'body.403',
  errorBody500: 'body.500',
  errorBody503: 'body.503',
  errorCode: 'code',
  errorDetails: 'details',
  errorHomeAdmin: 'homeAdmin',
  errorHomeReports: 'homeReports',
  errorSignIn: 'signIn',
  errorBack: 'back',
} as const;

export type Strings = Readonly<
  Record<(typeof RESPOND_KEYS)[number] | keyof typeof ERROR_KEYS, string>
>;

/** Builds one language's object; a key missing from the message files is a defect and throws. */
function build(lang: Language): Strings {
  const respond = areaMessages(lang, 'respond');
  const all = messages(lang);
  const out: Record<string, string> = {};
  for (const key of RESPOND_KEYS) {
    if (respond[key] === undefined) throw new Error(`no message "respond.${key}" in "${lang}"`);
    out[key] = respond[key];
  }
  for (const [name, key] of Object.entries(ERROR_KEYS)) {
    const text = all[`errors.${key}`];
    if (text === undefined) throw new Error(`no message "errors.${key}" in "${lang}"`);
    out[name] = text;
  }
  return Object.freeze(out) as Strings;
}

const cache = new Map<Language, Strings>();

/** The respondent and error page strings of a language (English for an unknown one). */
export function strings(lang: Language): Strings {
  const known: Language = isLanguage(lang) ? lang : 'en';
  let value = cache.get(known);
  if (!value) cache.set(known, (value = build(known)));
  return value;
}

/** The respondent keys, for the spec that checks they are exactly those of `respond.json`. */
export const RESPOND_MESSAGE_KEYS: readonly string[] = RESPOND_KEYS;
