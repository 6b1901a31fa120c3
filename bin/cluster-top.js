#!/usr/bin/env node
// Thin launcher: all behaviour lives in the built code under dist/.
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`cluster-top: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
