import { LANGUAGES } from '../domain/language.js';
import { REPORT_MESSAGE_KEYS, reportStrings } from '../reports/report-pages.i18n.js';
import { RESPOND_MESSAGE_KEYS, strings } from './i18n.js';
import { areaMessages, translate } from './messages.js';

describe('typed strings read from the message files', () => {
  it('the respondent keys are exactly those of respond.json', () => {
    expect([...RESPOND_MESSAGE_KEYS].sort()).toEqual(
      Object.keys(areaMessages('en', 'respond')).sort(),
    );
  });

  it('the report keys are exactly those of reports.json', () => {
    expect([...REPORT_MESSAGE_KEYS].sort()).toEqual(
      Object.keys(areaMessages('en', 'reports')).sort(),
    );
  });

  it('every language gives every string, from its own file', () => {
    for (const lang of LANGUAGES) {
      expect(strings(lang).submit).toBe(translate(lang, 'respond.submit'));
      expect(strings(lang).errorTitle404).toBe(translate(lang, 'errors.title.404'));
      expect(strings(lang).errorTitleOther).toBe(translate(lang, 'errors.title.other'));
      expect(reportStrings(lang).indexTitle).toBe(translate(lang, 'reports.indexTitle'));
    }
    expect(strings('it').errorTitle404).toBe('Pagina non trovata');
    expect(reportStrings('it').noData).not.toBe(reportStrings('en').noData);
  });
});
