/**
 * What every /reports page shares, whichever feature serves it (campaign results here, the
 * linkage pages in src/linkage): the page context, a few plain-text formatters and the layout
 * fields around the page's own view model. Every string here is plain text: the templates escape it.
 */
import type { QuestionView } from '../campaigns/campaigns.dto.js';
import { formatPercent } from '../common/format.js';
import { translate } from '../common/messages.js';
import { LANGUAGES, type Language } from '../domain/language.js';

export interface PageContext {
  lang: Language;
  /** The anonymity threshold (MIN_GROUP_SIZE), for the "hidden" label. */
  k: number;
  /** Unit code → display name. */
  unitNames: ReadonlyMap<string, string>;
}

/** A share as a percentage, the one format of every page (src/common/format.ts). */
export const pct = (v: number | null | undefined, lang: string) => formatPercent(v, lang);

export const questionText = (q: QuestionView | undefined, lang: Language): string =>
  q ? (q.text[lang] ?? Object.values(q.text)[0] ?? q.key) : '';

export const unitName = (ctx: PageContext, code: string) => ctx.unitNames.get(code) ?? code;

/** The same address in every language: the page's query with `lang` replaced. */
export function languageLinks(url: string, current: Language) {
  return LANGUAGES.map((code) => {
    const u = new URL(url, 'http://x');
    u.searchParams.set('lang', code);
    return {
      code,
      label: translate(code, `common.languageName.${code}`),
      current: code === current,
      href: u.pathname + u.search,
    };
  });
}

/**
 * The page's CSV and XLSX downloads: its address with `.csv` / `.xlsx` before the query, the query
 * kept (the options the page shows) with its language, without the comments' `page` (the download
 * holds every page of the list).
 */
export function exportLinks(url: string, lang: Language): { csv: string; xlsx: string } {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  u.searchParams.delete('page');
  const path = u.pathname.replace(/\/+$/, '');
  return { csv: `${path}.csv${u.search}`, xlsx: `${path}.xlsx${u.search}` };
}

/** The template `reports/<view>` and its data: the page's view model inside the report layout. */
export function reportPage(
  view: string,
  page: { url: string; lang: Language; title: string },
  model: object,
): [template: string, data: object] {
  const { url, lang, title } = page;
  return [
    `reports/${view}`,
    {
      ...model,
      title,
      crumb: view === 'index' ? null : title,
      lang,
      langLinks: languageLinks(url, lang),
      exportLinks: view === 'index' ? null : exportLinks(url, lang),
      nav: true,
      wide: true,
    },
  ];
}
