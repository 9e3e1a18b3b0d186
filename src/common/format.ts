/**
 * The one way figures read on every page, per locale: numbers ("1,234.5" / "1.234,5"),
 * percentages ("56.2%" / "56,2 %") and dates ("31 Mar 2026, 23:59" / "31 mar 2026, 23:59", UTC).
 * Missing or non-finite values read as an en dash. Plain text: the templates escape it.
 */
const NBSP = '\u00a0';

const locale = (lang: string | undefined): string => (lang === 'it' ? 'it-IT' : 'en-GB');

const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** A number with at most `digits` decimals (at least `minDigits`), grouped for the locale. */
export function formatNumber(
  value: number | null | undefined,
  lang: string | undefined,
  digits = 2,
  minDigits = 0,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const key = `${locale(lang)}/${digits}/${Math.min(minDigits, digits)}`;
  let format = NUMBER_FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale(lang), {
      maximumFractionDigits: digits,
      minimumFractionDigits: Math.min(minDigits, digits),
    });
    NUMBER_FORMATS.set(key, format);
  }
  // A value that rounds to zero reads "0", never "-0" or "-0.00".
  return format.format(Number(value.toFixed(digits)) === 0 ? 0 : value);
}

/**
 * A share (0…1) as a percentage with at most one decimal: "56.2%" in English, "56,2 %" in Italian
 * (a non-breaking space, so the sign never wraps away from its number).
 */
export function formatPercent(share: number | null | undefined, lang: string | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  const number = formatNumber(share * 100, lang, 1);
  return lang === 'it' ? `${number}${NBSP}%` : `${number}%`;
}

/** A date and time in UTC (the pages say so), e.g. "31 Mar 2026, 23:59"; '' when there is none. */
export function formatDateTime(
  value: string | Date | null | undefined,
  lang: string | undefined,
): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  let format = DATE_FORMATS.get(locale(lang));
  if (!format) {
    format = new Intl.DateTimeFormat(locale(lang), {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
    });
    DATE_FORMATS.set(locale(lang), format);
  }
  return format.format(date);
}
