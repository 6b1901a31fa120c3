/**
 * `npm run bench`: every benchmark, each with its peer measured in the same run, and the ratio.
 * Machines are shared and noisy: compare ratios, not absolute times.
 *
 * `npm run bench -- scale` takes options:
 *   --transport own|undici   what carries the pipeline's plain-HTTP scrapes (default own: our reader)
 *   --nodes 100,1000         cluster sizes (default 100,1000,2000)
 *   --without-prometheus     no Prometheus runs beside
 *   --fleet                  5,000 nodes every 5 s and 10,000 every 10 s instead (issue #18)
 *   --pin                    the simulator on CPU 0, the measured process on CPU 1 (taskset)
 *   --workload               1,000 nodes at 1 s, plain and with 30 processes, 20 containers and 8 GPUs
 *                            on every node (issues #16, #17); --processes N --containers N --gpus N change them
 *
 * `npm run bench -- scale-soak [--minutes 60]`: the view on 1,000 nodes every 1 s (default 10 minutes).
 *
 * `npm run bench -- backend [--nodes 10000,50000] [--baseline DIR] [--without-prometheus]`:
 * --prometheus against VictoriaMetrics and Prometheus holding that many nodes (default 10000;
 * minutes per size, loading included), this build and the one in DIR (another checkout, built)
 * in turns on the same servers.
 */
import { parseArgs } from 'node:util';
import { benchParser, printParserBench } from './parser.bench.js';
import { benchUiFrame, printUiFrame } from './ui-frame.bench.js';
import { benchScale, ISSUE_WORKLOAD, printScale } from './scale.bench.js';
import { benchSoak, printSoak } from './scale/soak.js';
import { benchReplayLoad, printReplayLoad } from './replay-load.bench.js';
import { benchBackend, printBackend } from './backend.bench.js';
import { benchTableModel, printTableModel } from './table-model.bench.js';
import { benchStartup, printStartup, THIS_BUILD } from './startup.bench.js';
import { benchProcesses, printProcesses } from './processes.bench.js';
import { benchKubePods, printKubePods } from './kube-pods.bench.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      transport: { type: 'string', default: 'own' },
      nodes: { type: 'string' },
      'without-prometheus': { type: 'boolean', default: false },
      fleet: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      minutes: { type: 'string' },
      workload: { type: 'boolean', default: false },
      pin: { type: 'boolean', default: false },
      processes: { type: 'string' },
      containers: { type: 'string' },
      gpus: { type: 'string' },
    },
  });
  const only = positionals[0];
  const transport = (['own', 'undici'] as const).find((t) => t === values.transport);
  if (transport === undefined) throw new Error('--transport is own or undici');
  const sizes = values.nodes?.split(',').map(Number);
  if (sizes?.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--nodes is a comma-separated list of node counts');
  if (!only || only === 'parser') {
    console.log('== parser: MB/s and ratio to parse-prometheus-text-format on the same payload');
    printParserBench(await benchParser());
  }
  if (!only || only === 'ui') {
    console.log('\n== ui: one frame of the node table (target < 16 ms)');
    printUiFrame(await benchUiFrame());
  }
  if (!only || only === 'ui' || only === 'table') {
    console.log('\n== table: sorting and filtering 10,000 rows (CPU ms per call, medians; peer: a collator sort)');
    printTableModel(benchTableModel());
  }
  if (!only || only === 'replay-load') {
    console.log('\n== replay-load: one tick of a very large cluster from a recording, and JSON.parse of the same file');
    printReplayLoad(await benchReplayLoad());
  }
  if (!only || only === 'startup') {
    console.log('\n== startup: --version, --help, and the view\'s first rows and first figures (default 2 s interval), medians of several runs');
    // A second argument: another build's bin/cluster-top.js, measured in the same turns.
    const other = only === 'startup' ? process.argv[3] : undefined;
    printStartup(await benchStartup(other === undefined ? [THIS_BUILD] : [THIS_BUILD, { name: 'other build', bin: other }]));
  }
  if (!only || only === 'processes') {
    console.log('\n== processes: the agent serving processes, node_exporter and process-exporter, each scraped every second for 2 × 30 s, on a machine with 500 processes');
    // A second argument: another build's bin/cluster-top.js, whose agent serves in the same seconds.
    printProcesses(await benchProcesses(only === 'processes' ? process.argv[3] : undefined));
  }
  if (!only || only === 'kube-pods') {
    console.log('\n== kube-pods: the pods of 5,000 nodes × 30 kept by the kube source, and whole Pod objects as an informer keeps them (heap after GC)');
    printKubePods(await benchKubePods());
  }
  if (!only || only === 'scale') {
    console.log('\n== scale: cluster-top (headless pipeline, own process) and Prometheus 2.42 on the same simulated nodes (about 7 minutes)');
    const count = (name: string, raw: string | undefined, fallback: number): number => {
      const n = raw === undefined ? fallback : Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} is a whole number of each node's ${name}`);
      return n;
    };
    const asked = values.workload || values.processes !== undefined || values.containers !== undefined || values.gpus !== undefined;
    const workload = asked
      ? { processes: count('processes', values.processes, ISSUE_WORKLOAD.processes), containers: count('containers', values.containers, ISSUE_WORKLOAD.containers), gpus: count('gpus', values.gpus, ISSUE_WORKLOAD.gpus) }
      : undefined;
    const options = { transport, prometheus: !values['without-prometheus'], fleet: values.fleet, pin: values.pin, ...(sizes === undefined ? {} : { sizes }), ...(workload === undefined ? {} : { workload }) };
    printScale(await benchScale((line) => console.log(line), options));
  }
  // Minutes per size, most of it loading the servers: only when asked for by name.
  if (only === 'backend') {
    console.log('== backend: --prometheus against VictoriaMetrics and Prometheus holding the fleet\'s node_exporter series');
    printBackend(await benchBackend((line) => console.log(line), { ...(sizes === undefined ? {} : { sizes }), ...(values.baseline === undefined ? {} : { baseline: values.baseline }), prometheus: !values['without-prometheus'] }));
  }
  // Ten minutes: only when asked for by name.
  if (only === 'scale-soak') {
    const minutes = values.minutes === undefined ? 10 : Number(values.minutes);
    if (!Number.isInteger(minutes) || minutes < 1) throw new Error('--minutes is a whole number of minutes');
    console.log(`== scale-soak: the UI on 1,000 nodes every 1 s for ${minutes} minutes, RSS every 10 s`);
    printSoak(await benchSoak(minutes));
  }
}

await main();
