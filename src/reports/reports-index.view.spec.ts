import { reportsIndexView } from './reports-index.view.js';

describe('reports index view model', () => {
  it('groups campaigns by wave, newest first, and preselects the latest wave with both sides', () => {
    const row = (id: string, audience: 'internal' | 'external', wave: string) => ({
      id,
      name: `${audience} ${wave}`,
      audience,
      wave,
      anonymous: false,
      status: 'open' as const,
      closesAt: null,
      createdAt: '',
      invited: 10,
      responses: 5,
    });
    const vm = reportsIndexView(
      [row('i1', 'internal', 'W1'), row('e1', 'external', 'W1'), row('i2', 'internal', 'W2')],
      { lang: 'en', k: 5, unitNames: new Map() },
    );
    expect(vm.waves.map((w) => w.wave)).toEqual(['W2', 'W1']);
    expect(vm.internalOptions.find((o) => o.selected)?.id).toBe('i1');
    expect(vm.externalOptions.find((o) => o.selected)?.id).toBe('e1');
  });
});
