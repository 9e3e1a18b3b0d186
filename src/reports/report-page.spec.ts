import { languageLinks } from './report-page.js';

describe('report page layout', () => {
  it('links the same page in the other language', () => {
    const links = languageLinks('/reports/linkage?internal=a&external=b&lang=en', 'en');
    expect(links[1]).toEqual({
      code: 'it',
      label: 'Italiano',
      current: false,
      href: '/reports/linkage?internal=a&external=b&lang=it',
    });
  });
});
