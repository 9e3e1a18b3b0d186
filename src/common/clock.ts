/** Times are stored and returned as fixed-width ISO 8601 UTC strings. */
export const iso = (d: Date = new Date()): string => d.toISOString();
export const isoIn = (ms: number, from: Date = new Date()): string =>
  new Date(from.getTime() + ms).toISOString();
/** The day only, for anonymous responses: no precise time that could re-link by order. */
export const isoDay = (d: Date = new Date()): string =>
  `${d.toISOString().slice(0, 10)}T00:00:00.000Z`;
