import { plainToInstance } from 'class-transformer';
import type { FieldError } from '../common/domain-error.js';
import { validateStrictly } from '../common/validation.js';
import { CampaignDefinitionDto, type CampaignFormDto } from './campaigns.dto.js';

/** What the "new campaign" form shows: the user's input, kept as typed. */
export interface CampaignFormValues {
  name: string;
  audience: string;
  wave: string;
  anonymous: boolean;
  languages: string[];
  closesAt: string;
  headline: string;
  questions: string;
}

/** A realistic questionnaire with one question of every type, to start from. */
export const EXAMPLE_QUESTIONS = [
  {
    key: 'sat',
    type: 'csat',
    required: true,
    text: {
      en: 'How satisfied are you with the support you receive?',
      it: 'Quanto è soddisfatto del supporto che riceve?',
    },
  },
  {
    key: 'nps',
    type: 'nps',
    text: {
      en: 'How likely are you to recommend our service to a colleague?',
      it: 'Quanto è probabile che consigli il nostro servizio a un collega?',
    },
  },
  {
    key: 'effort',
    type: 'ces',
    text: {
      en: 'The team made it easy for me to get my request handled.',
      it: 'Il team mi ha reso facile ottenere ciò che chiedevo.',
    },
  },
  {
    key: 'informed',
    type: 'likert',
    text: {
      en: 'I am kept informed about the progress of my requests.',
      it: 'Vengo tenuto informato sull’avanzamento delle mie richieste.',
    },
  },
  {
    key: 'channel',
    type: 'choice',
    multiple: false,
    options: [
      { value: 'web', label: { en: 'Web portal', it: 'Portale web' } },
      { value: 'email', label: { en: 'E-mail', it: 'E-mail' } },
      { value: 'phone', label: { en: 'Phone', it: 'Telefono' } },
    ],
    text: {
      en: 'How do you usually contact us?',
      it: 'Come ci contatta di solito?',
    },
  },
  {
    key: 'why',
    type: 'text',
    required: false,
    text: {
      en: 'What is the one thing we should improve?',
      it: 'Qual è la cosa che dovremmo migliorare per prima?',
    },
  },
];

export const emptyCampaignForm = (): CampaignFormValues => ({
  name: '',
  audience: 'internal',
  wave: '',
  anonymous: true,
  languages: ['en', 'it'],
  closesAt: '',
  headline: 'sat',
  questions: JSON.stringify(EXAMPLE_QUESTIONS, null, 2),
});

export const campaignFormValues = (form: CampaignFormDto): CampaignFormValues => ({
  name: form.name ?? '',
  audience: form.audience ?? '',
  wave: form.wave ?? '',
  anonymous: form.anonymous === 'true',
  languages: form.languages === undefined ? [] : [form.languages].flat(),
  closesAt: form.closesAt ?? '',
  headline: form.headline ?? '',
  questions: form.questions ?? '',
});

export type ParsedCampaignForm =
  | { definition: CampaignDefinitionDto; errors: [] }
  | { definition?: undefined; errors: FieldError[] };

/** `<input type="datetime-local">` sends no zone: the form says the time is UTC. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * Turns the form into the same definition the API takes and checks it with the same DTOs and the
 * same strictness as the global pipe (unknown fields refused at every depth).
 */
export function parseCampaignForm(form: CampaignFormDto): ParsedCampaignForm {
  const values = campaignFormValues(form);
  let questions: unknown;
  try {
    questions = JSON.parse(values.questions, refusePrototypeKeys);
  } catch (err) {
    const why = err instanceof Error ? `: ${err.message}` : '';
    return { errors: [{ field: 'questions', message: `questions must be valid JSON${why}` }] };
  }
  const closesAt = values.closesAt.trim();
  const plain = {
    name: values.name,
    audience: values.audience,
    wave: values.wave.trim(),
    anonymous: values.anonymous,
    languages: values.languages,
    closesAt: closesAt === '' ? null : LOCAL_DATE_TIME.test(closesAt) ? `${closesAt}Z` : closesAt,
    headline: values.headline.trim(),
    questions,
  };
  const definition = plainToInstance(CampaignDefinitionDto, plain);
  const errors = validateStrictly(definition);
  if (errors.length) return { errors };
  return { definition, errors: [] };
}

/** Like the JSON body parser: keys that could reach an object's prototype are refused. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype')
    throw new Error(`the key "${key}" is not allowed`);
  return value;
}

/** The form control an error is about, for the links of the error summary. */
export function anchorOf(field: string): string {
  const top = /^[A-Za-z]+/.exec(field)?.[0] ?? '';
  switch (top) {
    case 'name':
    case 'wave':
    case 'anonymous':
    case 'closesAt':
    case 'headline':
      return top;
    case 'audience':
      return 'audience-internal';
    case 'languages':
      return 'languages-en';
    default:
      return 'questions';
  }
}
