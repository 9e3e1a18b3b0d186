import { readCsvTable } from './csv-table.js';
import { checkContactLines } from './contact-import.js';
import { checkUnitCode } from './organisation.rules.js';
import { english, fieldProblem, lineProblem, localised } from './problems.js';
import { DomainError } from '../common/domain-error.js';

describe('problems in the page language', () => {
  it('keeps the English message the API always gave, and adds nothing to its JSON', async () => {
    const error = fieldProblem('parent_code', 'unknownUnit', { value: '"X"' });
    expect(error).toEqual({ field: 'parent_code', message: 'parent_code "X" is not a known unit' });
    expect(JSON.stringify(error)).toBe(
      '{"field":"parent_code","message":"parent_code \\"X\\" is not a known unit"}',
    );
    expect(localised('it', error)).toBe('parent_code "X" non è un’unità conosciuta');
  });

  it('puts every problem of a CSV line in the page language, joined the same way', async () => {
    const { errors } = await checkContactLines([
      { line: 2, values: { email: 'nope', name: '', audience: 'x', unit_code: 'U' } },
    ]);
    expect(errors[0].message).toBe(
      'email "nope" is not a valid e-mail address; name is required; audience "x" must be internal or external',
    );
    expect(localised('it', errors[0])).toBe(
      'email "nope" non è un indirizzo e-mail valido; name è obbligatorio; audience "x" deve essere internal o external',
    );
  });

  it('formats numbers for the language, but not line numbers', async () => {
    const line = lineProblem(7, { key: 'codeRepeated', vars: { value: '"A"', first: '1234' } });
    expect(localised('it', line)).toBe('il codice "A" compare già alla riga 1234');
    expect(english('tooManyLines', { max: 100_000 })).toBe(
      'The file has more than 100,000 data lines; split it into smaller files',
    );
    const tooMany = lineProblem(1, { key: 'tooManyLines', vars: { max: 100_000 } });
    expect(localised('it', tooMany)).toContain('più di 100.000 righe di dati');
  });

  it('says a whole-file problem in the page language, with the reason inside it', async () => {
    const thrown = async (text: string) => {
      try {
        await readCsvTable(text, { required: ['code'], optional: [] });
      } catch (err) {
        return err as DomainError;
      }
      throw new Error('no error');
    };
    const header = await thrown('"code\nA\n');
    expect(header.message).toBe(
      'The header line could not be read: a quoted value is never closed (unbalanced quote)',
    );
    expect(localised('it', header)).toBe(
      'Non è stato possibile leggere la riga di intestazione: un valore tra virgolette non viene mai chiuso (virgolette non bilanciate)',
    );
    expect(localised('it', await thrown('code,x\n'))).toBe(
      'Colonna sconosciuta "x" nell’intestazione; attese: code',
    );
  });

  it('leaves a message without a key as it is; a rule’s refusal has one', async () => {
    expect(localised('it', { message: 'as written' })).toBe('as written');
    const code = checkUnitCode('bad code');
    expect(!code.ok && localised('it', code.error)).toBe(
      'code "bad code" deve avere da 1 a 64 lettere, cifre, "_", "." o "-"',
    );
  });
});
