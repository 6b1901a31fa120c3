/**
 * The licence texts of the packages bundled into dist/pkg/, for the published package: its
 * dependencies ship inside it (scripts/bundle-cli.js), so their licences must ship with it too.
 * Which packages: those esbuild's metafile says it took files from. Each one's licence text: the
 * LICENSE / LICENCE / COPYING / NOTICE files of its own folder, as it ships them; a package with
 * none gets what its package.json declares, said as such.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The folder of the package an input path is in (the innermost node_modules), and its name. */
const PACKAGE_PATH = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//;
const LICENCE_FILE = /^(licen[cs]e|copying|notice)/i;

/**
 * The packages a metafile's inputs come from, by name and version, in name order; a package found
 * in several folders (nested copies) once, with its first folder's files.
 */
export function bundledPackages(metafile, cwd = process.cwd()) {
  const byId = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = PACKAGE_PATH.exec(input.replaceAll('\\', '/'));
    if (!match) continue;
    const dir = resolve(cwd, match[1]);
    const manifest = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'));
    const id = `${manifest.name} ${manifest.version}`;
    if (!byId.has(id)) byId.set(id, { name: manifest.name, version: manifest.version, license: licenceOf(manifest), dir, manifest });
  }
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
}

function licenceOf(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license && typeof manifest.license.type === 'string') return manifest.license.type;
  return 'not declared';
}

function person(author) {
  if (typeof author === 'string') return author;
  return author && typeof author.name === 'string' ? author.name : undefined;
}

/** One package's section: its licence files verbatim, or what its package.json says when it ships none. */
function section(pkg) {
  const files = readdirSync(pkg.dir).filter((f) => LICENCE_FILE.test(f)).sort();
  const head = `${pkg.name} ${pkg.version} (${pkg.license})`;
  const rule = '-'.repeat(72);
  if (files.length === 0) {
    const author = person(pkg.manifest.author);
    const repository = typeof pkg.manifest.repository === 'string' ? pkg.manifest.repository : pkg.manifest.repository?.url;
    const facts = [author && `author: ${author}`, repository && `repository: ${repository}`].filter(Boolean).join('; ');
    const said = `The package ships no licence file; its package.json declares the licence ${pkg.license}${facts ? ` (${facts})` : ''}.`;
    const text = pkg.license === 'MIT' ? `\n\nThe MIT licence's text, with the holder the package names:\n\n${mitText(author ?? `the authors of ${pkg.name}`)}` : '';
    return `${rule}\n${head}\n\n${said}${text}\n`;
  }
  return `${rule}\n${head}\n${files.map((f) => `\n[${f}]\n\n${readFileSync(resolve(pkg.dir, f), 'utf8').trimEnd()}\n`).join('')}`;
}

/** The MIT licence (opensource.org/license/mit), for a package that declares it and ships no text of it. */
function mitText(holder) {
  return `Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;
}

/** The whole file: a list of the packages, then each one's licence. */
export function thirdPartyLicenses(packages, product) {
  const list = packages.map((p) => `  ${p.name} ${p.version} (${p.license})`).join('\n');
  return (
    `Third-party software in ${product}\n\n` +
    `The published package bundles the following packages into dist/pkg/ (scripts/bundle-cli.js);\n` +
    `their licence texts follow, as each package ships them.\n\n${list}\n\n` +
    packages.map(section).join('\n')
  );
}
