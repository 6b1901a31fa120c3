/**
 * The command line. Only what every run needs is imported here: each mode and each source is
 * imported when used, so `--version` answers before commander loads, `--help` before any source,
 * and this machine's view never loads undici, the simulator or the Kubernetes client.
 */
import type { CliOptions, SourceFlags } from './options.js';
import type { AlertMonitor } from '../alerts/monitor.js';
import type { Source, SourceContext } from '../sources/source.js';
import { VERSION } from '../version.js';
import { visible, visibleJson } from '../util/visible-text.js';
import { CtError, EXIT_ALERT, EXIT_INTERNAL, EXIT_NOTHING_READ, EXIT_OK, UsageError } from '../util/errors.js';

export interface MainIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Whether keys can be read: the view needs a terminal on stdin too. */
  readonly stdin?: { readonly isTTY?: boolean };
}

const defaultIo: MainIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };

/** Runs the command line; resolves to the exit status. Failures never throw: see exitFor. */
export async function main(argv: readonly string[], io: MainIo = defaultIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    return exitFor(error, io);
  }
}

/**
 * The one place a failure becomes its exit status and one line on stderr: ours (CtError) say what
 * is wrong and carry their status (docs/reference.md, "Exit status"); anything else is a bug.
 */
function exitFor(error: unknown, io: MainIo): number {
  if (error instanceof CtError) {
    say(io, error.message);
    return error.exitStatus;
  }
  say(io, error instanceof Error ? error.message || error.name : String(error));
  return EXIT_INTERNAL;
}

async function run(argv: readonly string[], io: MainIo): Promise<number> {
  // Commander answers this too (the same line), but only after it and every flag's module load.
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  const [{ CommanderError }, { buildProgram, cliOptions }, { agentOptions }] = await Promise.all([
    import('commander'),
    import('./options.js'),
    import('./agent-options.js'),
  ]);
  const program = buildProgram()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {}, // printed below as one line
    });
  // Subcommands were added before the settings above; without them `agent --help` would exit the process.
  for (const sub of program.commands) sub.copyInheritedSettings(program);
  try {
    program.parse([...argv]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return EXIT_OK; // --help, --version
    // Commander's own words (an unknown flag, a bad value, a conflict), as one line.
    throw new UsageError(error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '), { cause: error });
  }
  const agent = agentOptions(program);
  if (agent) return (await import('../agent/run-agent.js')).runAgent(agent, io.stderr);
  const options = cliOptions(program, io.env);

  if (options.output === 'json' && !options.once && io.stdout.isTTY === true && (io.stdin ?? process.stdin).isTTY === true) {
    throw new UsageError('-o json prints one snapshot: add --once (the interactive view has no JSON)');
  }
  // What is said while the source is built (fields ignored, targets given twice) is shown in the
  // view too: the full screen hides stderr.
  const warnings: string[] = [];
  const heard: MainIo = { ...io, stderr: { write: (line: string) => (warnings.push(line.replace(/^cluster-top: /, '').trimEnd()), io.stderr.write(line)) } as NodeJS.WritableStream };
  const interactive = !options.once && io.stdout.isTTY === true && (io.stdin ?? process.stdin).isTTY === true;
  // A snapshot reads no history: two rows (the fewest a ring holds) instead of --history's, 10.8 KB
  // a node less (108 MB at 10,000 nodes). Not for a replay, whose window of ticks to apply is --history.
  const snapshotOnly = !interactive && options.source.kind !== 'replay';
  const source = await buildSource(snapshotOnly ? { ...options, historyMs: 2 * options.source.intervalMs } : options, heard);
  // Columns are computed from scraped samples: a source that has its figures from elsewhere has none.
  if (options.columns.length > 0 && source.store.columnNames.length === 0) {
    await source.stop();
    throw new UsageError('--column needs scraped targets: targets, --targets-file, --demo, --scrape-config or --dns');
  }

  if (!interactive) {
    if (!options.once) say(io, `${io.stdout.isTTY === true ? 'stdin' : 'stdout'} is not a terminal: printing one snapshot (as with --once)`);
    return printOnce(source, options, io);
  }

  let alerts: AlertMonitor | undefined;
  try {
    const [{ runInteractive, loadUi }, { AlertMonitor }] = await Promise.all([import('../ui/run-interactive.js'), import('../alerts/monitor.js')]);
    // The view's modules (one bundle, see ui-modules.ts) before the source starts: the first frame
    // then waits for no reading. A --demo cluster answers in this process, and its first round held
    // the modules up by about 150 ms. The first requests go out as the first frame is drawn.
    await loadUi(io.stdout.isTTY === true);
    source.start();
    alerts = new AlertMonitor(source.store, options.alertRules, () => source.clockMs?.() ?? Date.now());
    alerts.start();
    await runInteractive({
      warnings,
      store: source.store,
      intervalMs: source.interval,
      onIntervalChange: (ms) => source.setIntervalMs(ms),
      color: options.color,
      mouse: options.mouse,
      notice: () => source.notice,
      ...(source.clockMs ? { now: () => source.clockMs?.() ?? Date.now() } : {}),
      onPause: (paused) => source.setPaused?.(paused),
      // Only a replay seeks: the view offers `[ ]` when it is given onSeek.
      ...(source.seek ? { onSeek: (deltaMs: number) => source.seek?.(deltaMs) } : {}),
      alerts,
    });
  } finally {
    alerts?.stop();
    await source.stop();
    warn(io, source);
  }
  return EXIT_OK;
}

async function printOnce(source: Source, options: CliOptions, io: MainIo): Promise<number> {
  try {
    await source.collectOnce();
  } finally {
    await source.stop();
  }
  const [{ buildSnapshot }, { snapshotAlerts }, { renderTable }] = await Promise.all([import('./snapshot.js'), import('./snapshot-alerts.js'), import('./table.js')]);
  const atMs = source.clockMs?.() ?? Date.now();
  const snapshot = buildSnapshot(source.store, atMs, snapshotAlerts(source.store, options.alertRules, atMs), source.partial);
  // Every string of the snapshot came from outside: made visible here too, whatever its path.
  io.stdout.write(options.output === 'json' ? `${visibleJson(snapshot)}\n` : renderTable(snapshot, io.stdout.isTTY === true && io.stdout.columns > 0 ? io.stdout.columns : undefined));
  warn(io, source);
  if (!snapshot.nodes.some((n) => n.up)) return EXIT_NOTHING_READ;
  return options.failOnAlert && snapshot.alerts.some((a) => a.state === 'firing') ? EXIT_ALERT : EXIT_OK;
}

/**
 * Builds the source the options pick, recorded when asked. Each kind of source is a module of its
 * own, imported only when asked for (the Kubernetes client library alone takes a while to load).
 * Exported for the tests that feed every source the same input.
 */
export async function buildSource(options: CliOptions, io: MainIo): Promise<Source> {
  const context: SourceContext = { historyMs: options.historyMs, columns: options.columns, warn: (line) => say(io, line) };
  if (options.record === undefined) return buildOne(options.source, context);
  const [source, { withRecording }] = await Promise.all([buildOne(options.source, context), import('../sources/recording/recording-source.js')]);
  return withRecording(source, options.record);
}

async function buildOne(flags: SourceFlags, context: SourceContext): Promise<Source> {
  switch (flags.kind) {
    case 'node-list':
      return (await import('../sources/node-list/from-options.js')).buildNodeListSource(flags, context);
    case 'discovery':
      return (await import('../sources/discovery/from-options.js')).buildDiscoverySource(flags, context);
    case 'demo':
      return (await import('../sources/demo/from-options.js')).buildDemoSource(flags, context);
    case 'prometheus':
      return (await import('../sources/prometheus/from-options.js')).buildPrometheusSource(flags, context);
    case 'kube':
      return (await import('../sources/kube/from-options.js')).buildKubeSource(flags, context);
    case 'local':
      return (await import('../sources/local/from-options.js')).buildLocalSource(flags, context);
    case 'replay':
      return (await import('../sources/replay/from-options.js')).buildReplaySource(flags, context);
  }
}

/** A source's last word (a recording cut short, refreshes not recorded), on stderr. */
function warn(io: MainIo, source: Source): void {
  if (source.warning) say(io, source.warning);
}

/** One line on stderr. Messages quote files, flags and servers' answers: shown, never obeyed. */
function say(io: MainIo, message: string): void {
  io.stderr.write(`cluster-top: ${visible(message)}\n`);
}
