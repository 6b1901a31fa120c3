/* global module */
/**
 * Imports only flow down (issue #15): where targets come from -> scrape -> exposition -> metrics
 * -> store -> view and writers, with shared utilities in src/util/ at the bottom. `npm run deps`
 * checks these rules; `npm test` runs it. See docs/architecture.md.
 */

/** The sources: each fills the store, none is read by it. */
const SOURCES = '^src/(sources|agent)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles, type-only imports included: move the shared type to the lower module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'util-is-the-bottom',
      severity: 'error',
      comment: 'src/util/ holds shared helpers: it imports nothing else from src/.',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: '^src/util/' },
    },
    {
      name: 'store-reads-no-sources-or-view',
      severity: 'error',
      comment: 'The store is filled by the sources and read by the view: it imports neither.',
      from: { path: '^src/store/' },
      to: { path: ['^src/(ui|cli)/', SOURCES] },
    },
    {
      name: 'collect-serves-the-sources',
      comment: 'src/collect/ is the scrape -> parse -> derive step every scraping source uses: it imports none of them.',
      severity: 'error',
      from: { path: '^src/collect/' },
      to: { path: ['^src/(ui|cli)/', SOURCES] },
    },
    {
      name: 'only-the-view-and-cli-import-ui',
      severity: 'error',
      comment: 'src/ui/ is the top: only src/ui/ and src/cli/ (which starts it) import it.',
      from: { path: '^src/', pathNot: '^src/(ui|cli)/' },
      to: { path: '^src/ui/' },
    },
    {
      name: 'only-cli-imports-cli',
      severity: 'error',
      comment: 'src/cli/ is the command line; nothing else in src/ imports it (bin/ is outside src/).',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-imports-no-tests-or-benchmarks',
      severity: 'error',
      comment: 'Shipped code never reaches into test/ or bench/.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a moved file left an import behind).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
