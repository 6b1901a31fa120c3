/**
 * Turns bench/pipeline-process.ts (and the bench module it imports) into plain JavaScript on the
 * built dist/, so the measured process runs as the installed command does: no tsx loader thread
 * (about 50 MB of RSS and a compiler in the figures). Types are only erased; `npm run bench`
 * builds dist/ first.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const BENCH = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../../.bench-out/', import.meta.url));
const FILES = ['pipeline-process.ts', 'backend-process.ts', 'scale/turn-tally.ts'];

/** Writes .bench-out/pipeline-process.js and backend-process.js (and what they import); returns the first's path. */
export function buildPipelineProcess(): string {
  for (const file of FILES) {
    const { outputText } = ts.transpileModule(readFileSync(BENCH + file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
      fileName: file,
    });
    // .bench-out/ mirrors bench/ beside it, so the same relative imports reach dist/ instead of src/.
    const js = outputText.replace(/(from ['"](?:\.\.\/)+)src\//g, '$1dist/');
    const out = OUT_DIR + file.replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
  return `${OUT_DIR}pipeline-process.js`;
}
