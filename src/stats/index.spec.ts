import { readdirSync, readFileSync } from 'node:fs';
import * as stats from './index.js';

const folder = new URL('./', import.meta.url);
const sources = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

describe('the public statistics API', () => {
  it.each([
    'pearson',
    'spearman',
    'kendall',
    'linearRegression',
    'weightedPearson',
    'partialCorrelation',
    'compareNonOverlappingCorrelations',
    'compareOverlappingCorrelations',
    'crossLaggedPanel',
    'benjaminiHochberg',
    'npsFromCounts',
    'npsFromScores',
    'wilsonInterval',
    'cronbachAlpha',
    'iccOneWay',
    'bootstrapPearson',
    'mean',
    'variance',
    'distribution',
  ])('exports %s', (name) => {
    expect(typeof (stats as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(sources)(
    '%s imports only sibling modules and @stdlib (no Nest, database or I/O)',
    (file) => {
      const text = readFileSync(new URL(file, folder), 'utf8');
      const specifiers = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
      for (const specifier of specifiers) expect(specifier).toMatch(/^(\.\/[\w-]+\.js|@stdlib\/)/);
    },
  );

  it('re-exports every source module', () => {
    const index = readFileSync(new URL('index.ts', folder), 'utf8');
    const modules = sources.filter((f) => !['index.ts', 'validate.ts'].includes(f));
    for (const file of modules) expect(index).toContain(`'./${file.replace(/\.ts$/, '.js')}'`);
  });
});
