/**
 * `npm run build`, last step: the whole program, with every package it uses at run time, as
 * dist/pkg/ — what the published package runs, so that installing it installs nothing else
 * (package.json has no `dependencies`; see docs/performance.md, The npm package).
 *
 * Code splitting keeps main.ts's lazy imports lazy: each module it imports with `import()` (a
 * source, commander, undici, the Kubernetes client, the view) is a file of its own, loaded only
 * when used; code two of them share goes into a chunk-*.js of its own. The launcher
 * (bin/cluster-top.js) imports dist/pkg/cli/{heap,main}.js and dist/pkg/util/visible-text.js
 * when they are there, else the same modules under dist/.
 *
 * dist/pkg-meta.json (outside dist/pkg/, not published) is esbuild's metafile: which modules each output file holds. The lazy-loading
 * test reads it to tell which modules a run loaded.
 *
 * dist/THIRD-PARTY-LICENSES.txt (published: package.json "files") holds the licence texts of
 * every package the bundle took code from (see third-party-licenses.js).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundledPackages, thirdPartyLicenses } from './third-party-licenses.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, 'dist');
const out = resolve(dist, 'pkg');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** A built module's text with `from` (which must be there) replaced by `to`. */
function edit(path, from, to) {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`scripts/bundle-cli.js: ${path} no longer has ${from}; see why it was replaced`);
  return text.replaceAll(from, to);
}

const adapt = {
  name: 'adapt-for-bundle',
  setup(b) {
    // version.ts reads ../package.json next to itself; in a chunk that path would be wrong.
    b.onLoad({ filter: /[\\/]dist[\\/]version\.js$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(version)};\n`, loader: 'js' }));
    // The view's one-file bundle is for dist/; here ui-modules.js is split off like any lazy import.
    b.onLoad({ filter: /[\\/]dist[\\/]ui[\\/]run-interactive\.js$/ }, (args) => ({
      contents: edit(args.path, "new URL('./ui-modules.bundle.js', import.meta.url)", "new URL('./ui-modules.bundle.absent', import.meta.url)"),
      loader: 'js',
    }));
    // undici is CommonJS: Node's import() gives its exports as names, a split chunk gives them as
    // `default` only (esbuild), where scraper.ts would find no Pool.
    b.onLoad({ filter: /[\\/]dist[\\/]scrape[\\/]scraper\.js$/ }, (args) => ({
      contents: edit(args.path, "import('undici')", "import('undici').then((m) => m.default)"),
      loader: 'js',
    }));
    // The program uses the client's KubeConfig only: its module, not the index of every API.
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, async (args) => {
      if (args.pluginData === 'index') return undefined;
      const index = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'index' });
      return { path: resolve(dirname(index.path), 'config.js') };
    });
    // ink imports its React devtools bridge only with DEV=true; the package is not a dependency.
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: [
    { in: resolve(dist, 'cli/main.js'), out: 'cli/main' },
    { in: resolve(dist, 'cli/heap.js'), out: 'cli/heap' },
    { in: resolve(dist, 'util/visible-text.js'), out: 'util/visible-text' },
  ],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outbase: dist,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunk-[hash]',
  // React's production build only (as in dist/ui/ui-modules.bundle.js).
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages (React, the Kubernetes client) call require() for Node's own modules; an ES module has none.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  legalComments: 'linked',
  metafile: true,
  minify: true,
  logLevel: 'warning',
  // run-interactive.ts sets NODE_ENV for React's sake when it is unset: harmless here, where React is production only.
  logOverride: { 'assign-to-define': 'silent' },
  plugins: [adapt],
});
writeFileSync(resolve(dist, 'pkg-meta.json'), JSON.stringify(result.metafile));
writeFileSync(resolve(dist, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(bundledPackages(result.metafile), `cluster-top ${version}`));
