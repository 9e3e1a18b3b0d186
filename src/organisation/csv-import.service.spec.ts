import { jest } from '@jest/globals';
import { CsvImportService } from './csv-import.service.js';
import { type ImportPreviewSeal, outcomeOf, PreviewMismatch } from './import-preview-seal.js';
import type { ContactsRepository } from './contacts.repository.js';
import type { UnitsRepository } from './units.repository.js';

describe('CsvImportService: preview, then import only what was previewed', () => {
  const csv = 'code,name,parent_code\nA,Alpha,\n';
  const previewed = outcomeOf({ lines: [{ line: 2, action: 'create', key: 'A' }], errors: [] });
  const setup = (status: 'ok' | 'changed' | 'missing', outcome = previewed) => {
    const plan = jest.fn(async (decide: (units: never[]) => Promise<unknown>, dryRun: boolean) => ({
      ...((await decide([])) as object),
      dryRun,
    }));
    const seals = {
      seal: jest.fn(async () => 'sealed'),
      check: jest.fn(async () => (status === 'ok' ? { status, outcome } : { status })),
    };
    const service = new CsvImportService(
      { plan } as unknown as UnitsRepository,
      {} as ContactsRepository,
      seals as unknown as ImportPreviewSeal,
    );
    return { service, plan, seals };
  };

  it('previews as a dry run and seals the previewed text', async () => {
    const { service, plan, seals } = setup('ok');
    const { report, seal } = await service.previewOrImport('units', csv, { preview: true });
    expect(report).toMatchObject({ created: 1, updated: 0, dryRun: true });
    expect(report.lines).toEqual([{ line: 2, action: 'create', key: 'A' }]);
    expect(seal).toBe('sealed');
    expect(seals.seal).toHaveBeenCalledWith('units', csv, previewed);
    expect(plan.mock.calls[0][1]).toBe(true);
  });

  it('imports the text when its seal fits', async () => {
    const { service, plan, seals } = setup('ok');
    const { report, seal } = await service.previewOrImport('units', csv, {
      preview: false,
      seal: 's',
    });
    expect(report).toMatchObject({ created: 1, dryRun: false });
    expect(seal).toBeUndefined();
    expect(seals.check).toHaveBeenCalledWith('units', csv, 's');
    expect(plan.mock.calls[0][1]).toBe(false);
  });

  it('refuses, inside the transaction, a file that would now do something else', async () => {
    const other = outcomeOf({ lines: [{ line: 2, action: 'update', key: 'A' }], errors: [] });
    const { service, plan } = setup('ok', other);
    const refused = service.previewOrImport('units', csv, { preview: false, seal: 's' });
    await expect(refused).rejects.toMatchObject({ reason: 'stale', code: 'CONFLICT' });
    // The plan was made (in the transaction) and refused there, so nothing was written.
    expect(plan).toHaveBeenCalledTimes(1);
    expect(plan.mock.calls[0][1]).toBe(false);
  });

  it.each(['changed', 'missing'] as const)(
    'refuses a %s preview before anything is read or written',
    async (check) => {
      const { service, plan } = setup(check);
      const refused = service.previewOrImport('units', csv, { preview: false, seal: 's' });
      await expect(refused).rejects.toBeInstanceOf(PreviewMismatch);
      await expect(refused).rejects.toMatchObject({ reason: check, code: 'CONFLICT' });
      expect(plan).not.toHaveBeenCalled();
    },
  );
});
