/**
 * `npm run build`, after tsc: dist/ui/ui-modules.js and every module it imports from node_modules
 * (React, ink, yoga, ...) and from dist/ui/ as one file, dist/ui/ui-modules.bundle.js (see
 * src/ui/ui-modules.ts for why). Our modules outside dist/ui/ (the store, alerts, text escaping)
 * stay imports of their own: the rest of the program uses the same instances.
 *
 * React's production build only: run-interactive.ts takes the modules one by one, with the build
 * NODE_ENV names, when NODE_ENV asks for another.
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ui = resolve(root, 'dist/ui');

/** Our own modules outside dist/ui/ stay external, at the same relative path (the bundle sits in dist/ui/ too). */
const keepOwnModules = {
  name: 'keep-own-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (!path.startsWith(`${root}/dist/`) || path.startsWith(`${ui}/`)) return undefined;
      return { path: `./${relative(ui, path)}`.replace(/^\.\/\.\.\//, '../'), external: true };
    });
    // ink imports its React devtools bridge only with DEV=true; the package is not a dependency.
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

await build({
  entryPoints: [resolve(ui, 'ui-modules.js')],
  outfile: resolve(ui, 'ui-modules.bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages (React) call require() for Node's own modules; an ES module has none.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [keepOwnModules],
});
