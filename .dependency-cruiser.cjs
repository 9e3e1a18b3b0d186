/**
 * The layering of src/, checked by `npm run check` (dependency-cruiser). A folder may import its
 * own files and any folder on a LOWER layer, never one on the same or a higher layer; so the
 * features below can be read, tested and changed without the ones above them.
 *
 *   0  domain  stats                      value types and pure statistics: no framework, no I/O
 *   1  confidentiality                    pure release rules (suppression, disclosure plan)
 *   2  config                             environment schema, the only reader of process.env
 *   3  common                             domain errors, validation, i18n, view helpers, workers
 *   4  database                           DataSource options, Db, schema/ (the tables)
 *   5  users  →  6 auth                   accounts, then sign-in, sessions, tokens, the guard
 *   7  organisation → 8 campaigns → 9 invitations → 10 responses
 *   11 charts                             SVG chart view models shared by the report pages
 *   12 reports → 13 linkage               campaign results and exports, then the linkage analytics
 *   14 admin  health                      pages and probes over the features
 *   15 cli  and src/*.ts                  wiring: app module, factory, entry points
 */
const LAYERS = [
  ['domain', 'stats'],
  ['confidentiality'],
  ['config'],
  ['common'],
  ['database'],
  ['users'],
  ['auth'],
  ['organisation'],
  ['campaigns'],
  ['invitations'],
  ['responses', 'branding'],
  ['charts'],
  ['reports'],
  ['linkage'],
  ['admin', 'health', 'progress', 'digest'],
  ['cli'],
];

const folder = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.flatMap((names, rank) => {
  const sameOrHigher = LAYERS.slice(rank).flat();
  return names.map((name) => ({
    name: `layer-${name}`,
    comment: `src/${name} is on layer ${rank}: it may import only lower layers`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: {
      path: [
        folder(sameOrHigher.filter((other) => other !== name)),
        // the wiring files (app module, factory, main) sit above every folder but cli
        ...(name === 'cli' ? [] : ['^src/[^/]+\\.ts$']),
      ],
    },
  }));
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-folder-has-a-layer',
      severity: 'error',
      comment: 'A new folder under src/ must be given its place in LAYERS above',
      from: { path: '^src/', pathNot: [folder(LAYERS.flat()), '^src/[^/]+\\.ts$'] },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide the direction of a dependency',
      from: {},
      to: { circular: true },
    },
    {
      name: 'typeorm-only-in-repositories',
      severity: 'error',
      comment: 'Only repositories and src/database talk to TypeORM (STYLE.md convention 3)',
      from: { path: '^src/', pathNot: ['^src/database/', '\\.repository\\.ts$'] },
      to: { path: '^node_modules/(typeorm|@nestjs/typeorm)/' },
    },
    {
      name: 'pure-layers-stay-pure',
      severity: 'error',
      comment: 'domain, stats and confidentiality are plain functions and types',
      from: { path: folder(['domain', 'stats', 'confidentiality']) },
      to: { path: '^node_modules/(@nestjs|typeorm|fastify|pg|better-sqlite3)' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      comment: 'src/ compiles into dist/: it must not reach into test/',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'schema-below-everything-but-domain',
      severity: 'error',
      comment: 'Tables import only value types from src/domain',
      from: { path: '^src/database/schema/' },
      to: { path: '^src/', pathNot: ['^src/database/schema/', '^src/domain/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
