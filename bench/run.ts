/**
 * `npm run bench`: every benchmark, each with its peer measured in the same run, and the ratio.
 * Machines are shared and noisy: compare ratios, not absolute times.
 */
import { benchParser, printParserBench } from './parser.bench.js';
import { benchUiFrame } from './ui-frame.bench.js';

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'parser') {
    console.log('== parser: MB/s and ratio to parse-prometheus-text-format on the same payload');
    printParserBench(await benchParser());
  }
  if (!only || only === 'ui') {
    console.log('\n== ui: one frame of the node table (target < 16 ms)');
    for (const r of await benchUiFrame()) console.log(`${String(r.nodes).padStart(5)} ${r.kube ? 'kubernetes nodes' : 'nodes'}, terminal ${r.terminal.padEnd(7)} ${r.msPerFrame.toFixed(2)} ms/frame (CPU)`);
  }
}

await main();
