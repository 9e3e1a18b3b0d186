// The Node flags the benchmarks start the app server with: those of `npm start` (package.json's
// start script: `node <flags> dist/src/main.js`), so that a benchmark measures the app as it ships;
// BENCH_APP_NODE_ARGS (space-separated, '' for none) overrides them to compare.
import { readFileSync } from 'node:fs';

export function appNodeArgs() {
  const override = process.env.BENCH_APP_NODE_ARGS;
  if (override !== undefined) return override.split(' ').filter(Boolean);
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const match = /^node((?: --?[\w-]+(?:=\S+)?)*) dist\/src\/main\.js$/.exec(scripts.start);
  if (!match) throw new Error(`package.json start script not understood: ${scripts.start}`);
  return match[1].split(' ').filter(Boolean);
}
