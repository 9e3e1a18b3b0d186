import { checkContactLines, type ExistingContact, planContactImport } from './contact-import.js';
import type { CsvRow } from './csv-table.js';

const csvRow = (line: number, values: Partial<Record<string, string>>): CsvRow => ({
  line,
  values: { email: '', name: '', audience: 'internal', unit_code: 'B01', ...values } as Record<
    string,
    string
  >,
});

describe('checkContactLines', () => {
  it('normalises e-mail, audience and language, defaulting the language to en', async () => {
    const { lines, errors } = await checkContactLines([
      csvRow(2, { email: '  Ada@Example.COM ', name: 'Ada', audience: 'External', language: 'IT' }),
      csvRow(3, { email: 'bob@example.com', name: 'Bob' }),
    ]);
    expect(errors).toEqual([]);
    expect(lines).toEqual([
      {
        line: 2,
        email: 'ada@example.com',
        name: 'Ada',
        audience: 'external',
        unitCode: 'B01',
        language: 'it',
      },
      {
        line: 3,
        email: 'bob@example.com',
        name: 'Bob',
        audience: 'internal',
        unitCode: 'B01',
        language: 'en',
      },
    ]);
  });

  it('reports every problem of a line in one message, using CSV column names', async () => {
    const { errors } = await checkContactLines([
      csvRow(2, {
        email: 'not-an-email',
        name: '',
        audience: 'buyers',
        unit_code: 'bad code',
        language: 'fr',
      }),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(2);
    for (const word of ['email', 'name is required', 'audience', 'unit_code', 'language'])
      expect(errors[0].message).toContain(word);
  });

  it('rejects a name with a line break and one over 200 characters (emoji count as one)', async () => {
    const { lines, errors } = await checkContactLines([
      csvRow(2, { email: 'a@example.com', name: 'Evil\r\nBcc: x@y.z' }),
      csvRow(3, { email: 'b@example.com', name: '😀'.repeat(201) }),
      csvRow(4, { email: 'c@example.com', name: '😀'.repeat(200) }),
    ]);
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
    expect(lines.map((l) => l.line)).toEqual([4]);
  });

  it('keeps the first of two lines with the same (normalised) e-mail and reports the later one', async () => {
    const { lines, errors } = await checkContactLines([
      csvRow(2, { email: 'ada@example.com', name: 'Ada' }),
      csvRow(3, { email: 'ADA@example.com ', name: 'Ada again' }),
    ]);
    expect(lines.map((l) => l.name)).toEqual(['Ada']);
    expect(errors).toEqual([
      { line: 3, message: expect.stringMatching(/already appears on line 2/) },
    ]);
  });
});

describe('planContactImport', () => {
  const units = new Map([
    ['B01', 'u1'],
    ['B02', 'u2'],
  ]);
  const existing: ExistingContact = {
    id: 'c1',
    email: 'ada@example.com',
    name: 'Ada',
    audience: 'internal',
    unitId: 'u1',
    language: 'en',
  };
  const line = (n: number, email: string, unitCode = 'B01', name = 'Ada') => ({
    line: n,
    email,
    name,
    audience: 'internal' as const,
    unitCode,
    language: 'en' as const,
  });

  it('creates new e-mails, updates known ones, and writes only real changes', async () => {
    const plan = await planContactImport(
      [
        line(2, 'ada@example.com'),
        line(3, 'new@example.com'),
        line(4, 'bob@example.com', 'B02', 'Bob'),
      ],
      units,
      new Map([
        ['ada@example.com', existing],
        ['bob@example.com', { ...existing, id: 'c2', email: 'bob@example.com', name: 'Robert' }],
      ]),
      () => 'new-id',
    );
    expect([plan.created, plan.updated]).toEqual([1, 2]);
    expect(plan.lines).toEqual([
      { line: 2, action: 'update', key: 'ada@example.com' },
      { line: 3, action: 'create', key: 'new@example.com' },
      { line: 4, action: 'update', key: 'bob@example.com' },
    ]);
    expect(plan.inserts).toEqual([
      {
        id: 'new-id',
        email: 'new@example.com',
        name: 'Ada',
        audience: 'internal',
        unitId: 'u1',
        language: 'en',
      },
    ]);
    expect(plan.updates).toEqual([
      { id: 'c2', name: 'Bob', audience: 'internal', unitId: 'u2', language: 'en' },
    ]);
  });

  it('reports an unknown unit by line', async () => {
    const plan = await planContactImport(
      [line(5, 'x@example.com', 'NOPE')],
      units,
      new Map(),
      () => 'id',
    );
    expect(plan.errors).toEqual([{ line: 5, message: 'unit_code "NOPE" is not a known unit' }]);
    expect(plan.inserts).toEqual([]);
  });
});
