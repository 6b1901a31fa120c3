import { readFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import { buildProgram, effectiveTimeoutMs, toCliOptions, UsageError, type CliOptions } from './options.js';
import { parseTarget, TargetError } from '../targets/parse-target.js';
import { describeFsError, readTargetsFile, uniqueTargets } from '../targets/targets-file.js';
import type { Target } from '../targets/target.js';
import { Pipeline } from '../pipeline.js';
import type { Source } from '../source.js';
import { buildSnapshot } from './snapshot.js';
import { renderTable } from './table.js';

export const EXIT_OK = 0;
export const EXIT_NOTHING_SCRAPED = 1;
export const EXIT_USAGE = 2;

export interface MainIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

const defaultIo: MainIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Runs the command line; resolves to the exit status. Expected failures never throw. */
export async function main(argv: readonly string[], io: MainIo = defaultIo): Promise<number> {
  const program = buildProgram()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {}, // printed below as one line
    });
  let options: CliOptions;
  try {
    program.parse([...argv]);
    options = toCliOptions(program.processedArgs[0] as string[], program.opts(), io.env);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      return usage(io, error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '));
    }
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }

  let source: Source;
  try {
    source = await buildSource(options);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TargetError) return usage(io, error.message);
    throw error;
  }

  const interactive = !options.once && io.stdout.isTTY === true && process.stdin.isTTY === true;
  if (!interactive) {
    if (!options.once) io.stderr.write('cluster-top: stdout is not a terminal: printing one snapshot (as with --once)\n');
    return printOnce(source, options, io);
  }
  const { runInteractive } = await import('../ui/run-interactive.js');
  source.start();
  try {
    await runInteractive({
      store: source.store,
      intervalMs: source.interval,
      onIntervalChange: (ms) => source.setIntervalMs(ms),
      color: options.color,
      ...(source.notice !== undefined ? { notice: source.notice } : {}),
    });
  } finally {
    await source.stop();
  }
  return EXIT_OK;
}

async function printOnce(source: Source, options: CliOptions, io: MainIo): Promise<number> {
  try {
    await source.collectOnce();
  } finally {
    await source.stop();
  }
  const snapshot = buildSnapshot(source.store, Date.now());
  io.stdout.write(options.output === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : renderTable(snapshot));
  return snapshot.nodes.some((n) => n.up) ? EXIT_OK : EXIT_NOTHING_SCRAPED;
}

/** Picks what fills the store from the options; each kind of source is a module of its own. */
async function buildSource(options: CliOptions): Promise<Source> {
  return buildPipeline(options);
}

async function buildPipeline(options: CliOptions): Promise<Pipeline> {
  const targets = await collectTargets(options);
  const ca = options.caFile ? await readSecretFile('--ca-file', options.caFile) : undefined;
  const token = options.bearerTokenFile ? (await readSecretFile('--bearer-token-file', options.bearerTokenFile)).trim() : undefined;
  if (token === '') throw new UsageError(`--bearer-token-file ${options.bearerTokenFile}: the file is empty`);
  return new Pipeline({
    targets,
    intervalMs: options.intervalMs,
    concurrency: options.concurrency,
    historyPoints: Math.max(2, Math.ceil(options.historyMs / options.intervalMs)),
    scraper: {
      timeoutMs: effectiveTimeoutMs(options),
      maxBodyBytes: options.maxBodyBytes,
      tls: { insecure: options.insecure, ca },
      bearerToken: token === undefined ? undefined : () => token,
    },
  });
}

async function collectTargets(options: CliOptions): Promise<Target[]> {
  const targets = options.targets.map((t) => parseTarget(t));
  if (options.targetsFile) targets.push(...(await readTargetsFile(options.targetsFile)));
  if (targets.length === 0) {
    throw new UsageError('no targets: name hosts, host:port or URLs, or a --targets-file (see --help)');
  }
  return uniqueTargets(targets);
}

/** Reads a file named by a flag; the message names the flag and path, never the content. */
async function readSecretFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${describeFsError(error)}`);
  }
}

function usage(io: MainIo, message: string): number {
  io.stderr.write(`cluster-top: ${message}\n`);
  return EXIT_USAGE;
}
