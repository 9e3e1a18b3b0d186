import type HandlebarsNs from 'handlebars';

/** Small, escaping-safe helpers for the views. None of them returns raw HTML from user data. */
export function registerViewHelpers(hb: typeof HandlebarsNs): void {
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('date', (value: unknown) =>
    typeof value === 'string' && value.length >= 16
      ? value.slice(0, 16).replace('T', ' ')
      : (value ?? ''),
  );
  hb.registerHelper('pct', (value: unknown) =>
    typeof value === 'number' ? `${Math.round(value * 1000) / 10}%` : '–',
  );
}
