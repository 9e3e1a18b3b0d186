/**
 * Large CSV files for the import specs (issue 10): at most `bytes` of text with `bad` unreadable
 * lines (a closing quote followed by text) spread evenly through the file. Deterministic.
 */

export interface BigCsv {
  text: string;
  /** Physical line numbers (1 = the header) of the unreadable lines. */
  badLines: number[];
  /** Data lines that can be read. */
  goodLines: number;
}

const pad = (n: number) => String(n).padStart(6, '0');
/** csv-parse cannot read it: a closing quote followed by more text. */
const badLine = (n: number) => `BAD${pad(n)},"Broken "quote" line ${pad(n)},`;

function build(header: string, bytes: number, bad: number, line: (i: number) => string): BigCsv {
  const good: string[] = [];
  let size = header.length + 1 + bad * (badLine(0).length + 1);
  for (let i = 1; size < bytes; i++) {
    const l = line(i);
    good.push(l);
    size += l.length + 1;
  }
  const out = [header];
  const badLines: number[] = [];
  const every = Math.floor((good.length + bad) / bad);
  let g = 0;
  for (let n = 1; g < good.length || badLines.length < bad; n++) {
    if (badLines.length < bad && (n % every === 0 || g >= good.length)) {
      badLines.push(out.length + 1);
      out.push(badLine(n));
    } else out.push(good[g++]);
  }
  return { text: out.join('\n') + '\n', badLines, goodLines: good.length };
}

/** Units `${prefix}000001…` in a shallow tree (each unit's parent is the unit numbered i / 10). */
export function bigUnitsCsv(prefix: string, bytes = 4_900_000, bad = 1000): BigCsv {
  return build('code,name,parent_code', bytes, bad, (i) => {
    const parent = Math.floor(i / 10);
    return `${prefix}${pad(i)},Branch office number ${pad(i)} of the company,${parent ? prefix + pad(parent) : ''}`;
  });
}

/** Contacts spread over the given unit codes (which must exist for the lines to be accepted). */
export function bigContactsCsv(
  domain: string,
  units: readonly string[],
  bytes = 4_900_000,
  bad = 1000,
): BigCsv {
  return build('email,name,audience,unit_code,language', bytes, bad, (i) => {
    const unit = units[i % units.length];
    return `person.${pad(i)}@${domain},Person number ${pad(i)},${i % 2 ? 'internal' : 'external'},${unit},${i % 3 ? 'en' : 'it'}`;
  });
}
