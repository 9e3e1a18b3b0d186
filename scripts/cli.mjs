#!/usr/bin/env node
// `npm run cli -- …`: runs the built CLI (dist/src/cli/main.js), compiling first only when dist/ is
// missing or older than a source. tsc rewrites every output on each build, so the CLI's own output
// file stands for the build time; a source file (or folder, which changes when a file is added or
// deleted) newer than it means the build is stale. SPECCHIO_CLI_BUILD=always|never overrides.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/src/cli/main.js');
const SOURCES = [
  'src',
  'migrations',
  'bench',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
];

/** The newest modification time under a path (files ending in .ts, every folder, the path itself). */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(child));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(child).mtimeMs);
  }
  return latest;
}

function built() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return 0;
  }
}

function stale() {
  const at = built();
  return at === 0 || SOURCES.some((s) => newest(join(root, s)) > at);
}

const mode = process.env.SPECCHIO_CLI_BUILD ?? 'auto';
if (mode === 'always' || (mode !== 'never' && stale())) {
  process.stderr.write('specchio: compiling (dist/ is older than the sources)…\n');
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
// The CLI reads process.argv.slice(2), which are the same arguments here.
await import(pathToFileURL(entry).href);
