/**
 * The question library: ready, well-worded items in English and Italian that the builder adds to a
 * draft with one click. Data only; question-library.spec.ts checks every item against the campaign
 * definition rules in both languages.
 */
import type { Audience } from '../domain/audience.js';
import type { QuestionInput } from './campaign-definition.js';

export interface LibraryItem {
  /** Stable id used by the builder's "Add" buttons. */
  id: string;
  /** Which campaigns it is written for. */
  audience: Audience;
  // Its short title in the builder's list is the message builder.library.items.<id>.
  question: QuestionInput & { text: { en: string; it: string } };
}

const item = (id: string, audience: Audience, question: LibraryItem['question']): LibraryItem => ({
  id,
  audience,
  question,
});

export const QUESTION_LIBRARY: readonly LibraryItem[] = [
  // Internal service: colleagues rate the service of the teams they rely on.
  item('int_overall', 'internal', {
    key: 'overall',
    type: 'csat',
    required: true,
    text: {
      en: 'Overall, how satisfied are you with the service you receive from this team?',
      it: 'Nel complesso, quanto è soddisfatto del servizio che riceve da questo team?',
    },
  }),
  item('int_responsiveness', 'internal', {
    key: 'responsiveness',
    type: 'likert',
    required: true,
    text: {
      en: 'The team responds to my requests within a reasonable time.',
      it: 'Il team risponde alle mie richieste in tempi ragionevoli.',
    },
  }),
  item('int_reliability', 'internal', {
    key: 'reliability',
    type: 'likert',
    required: true,
    text: {
      en: 'The team delivers what it promises, when it promises it.',
      it: 'Il team mantiene ciò che promette, nei tempi promessi.',
    },
  }),
  item('int_competence', 'internal', {
    key: 'competence',
    type: 'likert',
    required: true,
    text: {
      en: 'The people I deal with have the knowledge to solve my problem.',
      it: 'Le persone con cui mi interfaccio hanno le competenze per risolvere il mio problema.',
    },
  }),
  item('int_communication', 'internal', {
    key: 'communication',
    type: 'likert',
    required: true,
    text: {
      en: 'I am kept informed about the progress of my requests.',
      it: 'Vengo tenuto informato sull’avanzamento delle mie richieste.',
    },
  }),
  item('int_ease', 'internal', {
    key: 'ease',
    type: 'ces',
    required: true,
    text: {
      en: 'The team made it easy for me to get my request handled.',
      it: 'Il team mi ha reso facile ottenere ciò che chiedevo.',
    },
  }),
  // Customers.
  item('ext_nps', 'external', {
    key: 'nps',
    type: 'nps',
    required: true,
    text: {
      en: 'How likely are you to recommend us to a friend or colleague?',
      it: 'Quanto è probabile che ci raccomandi a un amico o a un collega?',
    },
  }),
  item('ext_csat', 'external', {
    key: 'csat',
    type: 'csat',
    required: true,
    text: {
      en: 'How satisfied are you with the service you received?',
      it: 'Quanto è soddisfatto del servizio ricevuto?',
    },
  }),
  item('ext_ces', 'external', {
    key: 'effort',
    type: 'ces',
    required: true,
    text: {
      en: 'It was easy to get what I needed from you.',
      it: 'È stato facile ottenere da voi ciò di cui avevo bisogno.',
    },
  }),
  item('ext_channel', 'external', {
    key: 'channel',
    type: 'choice',
    required: false,
    multiple: false,
    options: [
      { value: 'branch', label: { en: 'In a branch', it: 'In filiale' } },
      { value: 'phone', label: { en: 'By phone', it: 'Al telefono' } },
      { value: 'email', label: { en: 'By e-mail', it: 'Via e-mail' } },
      { value: 'web', label: { en: 'Online (website or app)', it: 'Online (sito o app)' } },
    ],
    text: {
      en: 'How do you prefer to get in touch with us?',
      it: 'Come preferisce mettersi in contatto con noi?',
    },
  }),
  item('ext_comment', 'external', {
    key: 'comment',
    type: 'text',
    required: false,
    text: {
      en: 'Is there anything we could do better? Tell us in your own words.',
      it: 'C’è qualcosa che potremmo fare meglio? Ce lo dica con parole sue.',
    },
  }),
];

export const libraryItem = (id: string): LibraryItem | undefined =>
  QUESTION_LIBRARY.find((i) => i.id === id);
