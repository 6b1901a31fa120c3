/**
 * The command line. Only what every run needs is imported here: each mode and each source is
 * imported when used, so `--version` answers before commander loads, `--help` before any source,
 * and this machine's view never loads undici, the simulator or the Kubernetes client.
 */
import type { CliOptions } from './options.js';
import type { AlertMonitor } from '../alerts/monitor.js';
import type { Pipeline } from '../pipeline.js';
import type { Source } from '../source.js';
import type { Target } from '../targets/target.js';
import { VERSION } from '../version.js';
import { visible, visibleJson } from '../util/visible-text.js';

export const EXIT_OK = 0;
export const EXIT_NOTHING_SCRAPED = 1;
export const EXIT_USAGE = 2;
/** A snapshot with --fail-on-alert in which an alert fires. */
export const EXIT_ALERT = 3;

export interface MainIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Whether keys can be read: the view needs a terminal on stdin too. */
  readonly stdin?: { readonly isTTY?: boolean };
}

const defaultIo: MainIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin };

/** Runs the command line; resolves to the exit status. Expected failures never throw. */
export async function main(argv: readonly string[], io: MainIo = defaultIo): Promise<number> {
  // Commander answers this too (the same line), but only after it and every flag's module load.
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  const [{ CommanderError }, { buildProgram, toCliOptions, UsageError }, { agentOptions }] = await Promise.all([
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
  let options: CliOptions;
  try {
    program.parse([...argv]);
    const agent = agentOptions(program);
    if (agent) return await (await import('../agent/run-agent.js')).runAgent(agent, io.stderr);
    // Whether -i was typed, not defaulted: a --scrape-config's scrape_interval applies when not.
    options = toCliOptions(program.processedArgs[0] as string[], { ...program.opts(), intervalGiven: program.getOptionValueSource('interval') === 'cli' }, io.env);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      return usage(io, error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
    }
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }

  if (options.output === 'json' && !options.once && io.stdout.isTTY === true && (io.stdin ?? process.stdin).isTTY === true) {
    return usage(io, '-o json prints one snapshot: add --once (the interactive view has no JSON)');
  }
  // What is said while the source is built (fields ignored, targets given twice) is shown in the
  // view too: the full screen hides stderr.
  const warnings: string[] = [];
  const heard: MainIo = { ...io, stderr: { write: (line: string) => (warnings.push(line.replace(/^cluster-top: /, '').trimEnd()), io.stderr.write(line)) } as NodeJS.WritableStream };
  const interactive = !options.once && io.stdout.isTTY === true && (io.stdin ?? process.stdin).isTTY === true;
  let source: Source;
  try {
    // A snapshot reads no history: two rows (the fewest a ring holds) instead of --history's,
    // 10.8 KB a node less (108 MB at 10,000 nodes). Not for a replay, whose window of ticks to
    // apply is --history.
    const snapshotOnly = !interactive && options.replay === undefined;
    source = await buildSource(snapshotOnly ? { ...options, historyMs: 2 * options.intervalMs } : options, heard);
  } catch (error) {
    if (await isUsageProblem(error)) return usage(io, (error as Error).message);
    throw error;
  }
  // Columns are computed from scraped samples: a source that has its figures from elsewhere has none.
  if (options.columns.length > 0 && source.store.columnNames.length === 0) {
    await source.stop();
    return usage(io, '--column needs scraped targets: targets, --targets-file, --demo, --scrape-config or --dns');
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
  const snapshot = buildSnapshot(source.store, atMs, snapshotAlerts(source.store, options.alertRules, atMs));
  // Every string of the snapshot came from outside: made visible here too, whatever its path.
  io.stdout.write(options.output === 'json' ? `${visibleJson(snapshot)}\n` : renderTable(snapshot, io.stdout.isTTY === true && io.stdout.columns > 0 ? io.stdout.columns : undefined));
  warn(io, source);
  if (!snapshot.nodes.some((n) => n.up)) return EXIT_NOTHING_SCRAPED;
  return options.failOnAlert && snapshot.alerts.some((a) => a.state === 'firing') ? EXIT_ALERT : EXIT_OK;
}

/** Whether a failure to build the source is the user's to fix: one line, exit status 2. */
async function isUsageProblem(error: unknown): Promise<boolean> {
  const [{ UsageError }, { TargetError }, { RecordingError }] = await Promise.all([
    import('./options.js'),
    import('../targets/parse-target.js'),
    import('../record/reader.js'),
  ]);
  return error instanceof UsageError || error instanceof TargetError || error instanceof RecordingError;
}

/**
 * Picks what fills the store from the options; each kind of source is a module of its own,
 * imported only when asked for (the Kubernetes client library alone takes a while to load).
 * Exported for the tests that feed every source the same input.
 */
export async function buildSource(options: CliOptions, io: MainIo): Promise<Source> {
  if (options.record) {
    const { withRecording } = await import('../record/recording-source.js');
    return withRecording(await buildSource({ ...options, record: undefined }, io), options.record);
  }
  if (options.replay) return (await import('../record/replay-source.js')).ReplaySource.open({ ...options.replay, historyMs: options.historyMs });
  if (options.demo) return (await import('../demo/demo-source.js')).startDemo(options.demo, (targets) => buildPipeline(options, targets));
  if (options.prometheus !== undefined) return (await import('../prometheus/from-options.js')).buildPrometheusSource(options.prometheus, options, historyPoints(options));
  if (options.kubeconfig !== undefined) return (await import('../kube/from-options.js')).buildKubeSource(options, historyPoints(options));
  if ((await import('../discovery/flags.js')).wantsDiscovery(options)) {
    return (await import('../discovery/from-options.js')).buildDiscoverySource(options, buildPipeline, (line) => say(io, line));
  }
  if (options.targets.length === 0 && options.targetsFile === undefined) {
    const { LocalSource } = await import('../local/local-source.js');
    return new LocalSource({ intervalMs: options.intervalMs, historyPoints: historyPoints(options) });
  }
  return buildPipeline(options, await collectTargets(options, (line) => say(io, line)));
}

async function buildPipeline(options: CliOptions, targets: Target[]): Promise<Pipeline> {
  const [{ Pipeline }, { effectiveTimeoutMs, UsageError }] = await Promise.all([import('../pipeline.js'), import('./options.js')]);
  const ca = options.caFile ? await readSecretFile('--ca-file', options.caFile) : undefined;
  const token = options.bearerTokenFile ? (await readSecretFile('--bearer-token-file', options.bearerTokenFile)).trim() : undefined;
  if (token === '') throw new UsageError(`--bearer-token-file ${options.bearerTokenFile}: the file is empty`);
  return new Pipeline({
    targets,
    intervalMs: options.intervalMs,
    concurrency: options.concurrency,
    historyPoints: historyPoints(options),
    columns: options.columns,
    scraper: {
      timeoutMs: effectiveTimeoutMs(options),
      maxBodyBytes: options.maxBodyBytes,
      tls: { insecure: options.insecure, ca },
      bearerToken: token === undefined ? undefined : () => token,
    },
  });
}

async function collectTargets(options: CliOptions, warn: (line: string) => void): Promise<Target[]> {
  const [{ parseTarget }, { readTargetsFile, uniqueTargets }, { UsageError }] = await Promise.all([
    import('../targets/parse-target.js'),
    import('../targets/targets-file.js'),
    import('./options.js'),
  ]);
  const targets = options.targets.map((t) => parseTarget(t));
  if (options.targetsFile) targets.push(...(await readTargetsFile(options.targetsFile)));
  if (targets.length === 0) {
    throw new UsageError(`no targets in ${options.targetsFile}: write one host, host:port or URL per line`);
  }
  return uniqueTargets(targets, warn);
}

function historyPoints(options: CliOptions): number {
  return Math.max(2, Math.ceil(options.historyMs / options.intervalMs));
}

/** Reads a file named by a flag; the message names the flag and path, never the content. */
async function readSecretFile(flag: string, path: string): Promise<string> {
  const [{ readFile }, { describeFsError }, { UsageError }] = await Promise.all([
    import('node:fs/promises'),
    import('../util/fs-error.js'),
    import('./options.js'),
  ]);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${describeFsError(error)}`);
  }
}

/** A source's last word (a recording cut short, refreshes not recorded), on stderr. */
function warn(io: MainIo, source: Source): void {
  if (source.warning) say(io, source.warning);
}

function usage(io: MainIo, message: string): number {
  say(io, message);
  return EXIT_USAGE;
}

/** One line on stderr. Messages quote files, flags and servers' answers: shown, never obeyed. */
function say(io: MainIo, message: string): void {
  io.stderr.write(`cluster-top: ${visible(message)}\n`);
}
