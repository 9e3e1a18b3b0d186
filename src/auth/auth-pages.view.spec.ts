import { loginView, setupView } from './auth-pages.view.js';

describe('sign-in and setup pages view', () => {
  it('keeps next and a chosen language in the form, and links every language', () => {
    const page = loginView('it', '/reports?x=1', 'it');
    expect(page.title).toBe('Accedi');
    expect(page.action).toBe('/login?next=%2Freports%3Fx%3D1&lang=it');
    expect(page.languageLinks).toEqual([
      {
        code: 'en',
        label: 'English',
        href: '/login?next=%2Freports%3Fx%3D1&lang=en',
        current: false,
      },
      {
        code: 'it',
        label: 'Italiano',
        href: '/login?next=%2Freports%3Fx%3D1&lang=it',
        current: true,
      },
    ]);
  });

  it('drops an unsafe next and an unknown language', () => {
    const page = loginView('en', '//evil.test', 'de');
    expect(page.title).toBe('Sign in');
    expect(page.action).toBe('/login?next=%2Fadmin');
    expect(page.languageLinks.map((l) => l.href)).toEqual(['/login?lang=en', '/login?lang=it']);
  });

  it('keeps the chosen language on the setup form', () => {
    expect(setupView('it', 'it')).toMatchObject({
      title: 'Configurazione di Specchio',
      action: '/setup?lang=it',
    });
    expect(setupView('en', undefined).action).toBe('/setup');
  });
});
