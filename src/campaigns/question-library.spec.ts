import { plainToInstance } from 'class-transformer';
import { translate } from '../common/messages.js';
import { validateStrictly } from '../common/validation.js';
import { validateDefinition } from './campaign-definition.js';
import { CampaignDefinitionDto } from './campaigns.dto.js';
import { QUESTION_LIBRARY } from './question-library.js';

describe('question library', () => {
  it.each(QUESTION_LIBRARY.map((i) => [i.id, i] as const))(
    '%s validates as a campaign of its audience in English and Italian',
    (_id, item) => {
      const definition = {
        name: 'Library check',
        audience: item.audience,
        wave: '2026-Q1',
        languages: ['en', 'it'],
        // A text or choice item is checked beside a rating question that can be the headline.
        headline:
          item.question.type === 'text' || item.question.type === 'choice'
            ? 'h'
            : item.question.key,
        questions: [
          item.question,
          ...(item.question.type === 'text' || item.question.type === 'choice'
            ? [{ key: 'h', type: 'csat', text: { en: 'H', it: 'H' } }]
            : []),
        ],
      };
      const dto = plainToInstance(CampaignDefinitionDto, definition);
      expect(validateStrictly(dto)).toEqual([]);
      expect(
        validateDefinition(dto, { now: '2026-01-01T00:00:00.000Z', unitCodes: new Set() }),
      ).toEqual([]);
      expect(item.question.text.en.trim()).not.toBe('');
      expect(item.question.text.it.trim()).not.toBe('');
      expect(item.question.text.en).not.toBe(item.question.text.it);
      // Its title in the builder's list, in both interface languages.
      expect(translate('en', `builder.library.items.${item.id}`).trim()).not.toBe('');
      expect(translate('it', `builder.library.items.${item.id}`).trim()).not.toBe('');
    },
  );

  it('has unique ids and covers internal service and customer items', () => {
    expect(new Set(QUESTION_LIBRARY.map((i) => i.id)).size).toBe(QUESTION_LIBRARY.length);
    const internal = QUESTION_LIBRARY.filter((i) => i.audience === 'internal').map(
      (i) => i.question.key,
    );
    expect(internal).toEqual(
      expect.arrayContaining([
        'responsiveness',
        'reliability',
        'competence',
        'communication',
        'ease',
        'overall',
      ]),
    );
    const external = QUESTION_LIBRARY.filter((i) => i.audience === 'external').map(
      (i) => i.question.type,
    );
    expect(external).toEqual(expect.arrayContaining(['nps', 'csat', 'ces', 'choice', 'text']));
  });
});
