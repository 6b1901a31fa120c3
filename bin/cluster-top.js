#!/usr/bin/env node
// Thin launcher: all behaviour lives in the built code, dist/pkg/ (the program and the packages it
// uses as one bundle, what the published package holds: scripts/bundle-cli.js) or else dist/.
import { existsSync } from 'node:fs';

const built = existsSync(new URL('../dist/pkg/cli/main.js', import.meta.url)) ? '../dist/pkg/' : '../dist/';
const { tuneHeap } = await import(`${built}cli/heap.js`);

// A process-wide setting, so here and not in main(): see src/cli/heap.ts. Set once the first
// seconds are over: V8 takes it up at its next collection, and until then its default growth
// spares the start-up (every module's code, the first frames) collections it does not need.
setTimeout(tuneHeap, 3000).unref();
const { main } = await import(`${built}cli/main.js`);
const { visible } = await import(`${built}util/visible-text.js`);

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`cluster-top: ${visible(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 70; // EXIT_INTERNAL (src/util/errors.ts): main() maps every other failure itself
  },
);
