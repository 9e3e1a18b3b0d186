import { printStampView } from './print-stamp.js';

describe('printStampView', () => {
  const at = new Date('2026-03-31T23:59:00Z');

  it('states the time, the campaigns, the options and the thresholds in the page language', () => {
    const en = printStampView({
      at,
      lang: 'en',
      campaigns: ['Staff 2026-Q1', 'Buyers 2026-Q1'],
      filters: [
        ['minResponses', '3'],
        ['metric', 'nps'],
        ['odd', 'x'],
      ],
      k: 5,
      commentK: 10,
      minResponses: 3,
    });
    expect(en.label).toBe('About this printout');
    expect(en.lines).toEqual([
      'Generated on 31 Mar 2026, 23:59 UTC (server time).',
      'Campaigns: Staff 2026-Q1 · Buyers 2026-Q1.',
      'Options: minimum responses: 3; metric: nps; odd: x.',
      'Thresholds: groups of fewer than 5 people are not shown (MIN_GROUP_SIZE); comments only ' +
        'from groups of at least 10 (MIN_COMMENT_GROUP_SIZE); the linkage counts a unit with at ' +
        'least 5 internal and 3 external responses.',
    ]);
    const it = printStampView({
      at,
      lang: 'it',
      campaigns: [],
      filters: [],
      k: 7,
      commentK: 12,
      minResponses: 9,
    });
    expect(it.lines[0]).toBe('Generato il 31 mar 2026, 23:59 UTC (ora del server).');
    expect(it.lines[1]).toBe('Campagne: quelle indicate nella pagina.');
    expect(it.lines[2]).toBe('Opzioni: quelle predefinite.');
    expect(it.lines[3]).toContain('meno di 7 persone');
    expect(it.lines[3]).toContain('almeno 12 persone');
    expect(it.lines[3]).toContain('almeno 9 risposte interne e 9 esterne');
  });
});
