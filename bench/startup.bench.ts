/**
 * The first seconds: how long `--version` and `--help` take, and how long the interactive view
 * takes to draw its first rows and its first CPU and network figures (rates: they need two
 * readings), each next to `node -e 0` measured in the same run. The view runs in a tmux pane of
 * its own (140x30), watched through a control-mode client (startup/tmux-control.ts), for
 * `--demo 20` and for this machine (no targets). Runs take turns, so noise falls on all alike.
 *
 * `npm run bench -- startup <path to another build's bin/cluster-top.js>` measures that build too,
 * in the same turns: the way to compare two commits on a noisy machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { hasCpuFigure, hasNetworkFigure, hasRows } from './startup/screen.js';
import { TMUX, TmuxControl } from './startup/tmux-control.js';

const BIN = fileURLToPath(new URL('../bin/cluster-top.js', import.meta.url));

/** A build of cluster-top to measure: its launcher, and how the figures name it. */
export interface Build {
  readonly name: string;
  readonly bin: string;
}

export const THIS_BUILD: Build = { name: 'cluster-top', bin: BIN };
const PROCESS_RUNS = 15;
const VIEW_RUNS = 7;
const VIEW_BOUND_MS = 10_000;

export interface Figure {
  readonly label: string;
  /** Milliseconds of every run; a run that never got there within its bound is left out. */
  readonly runs: readonly number[];
  /** Runs that did not get there within the bound. */
  readonly missed: number;
}

export interface StartupResult {
  readonly processes: readonly Figure[];
  /** Undefined when tmux is not installed. */
  readonly views?: readonly Figure[];
  /** Why btop has no figure, when it has none. */
  readonly btop: Figure | string;
}

/** Ms from spawn to exit of one process, its output discarded; bounded at 10 s. */
function timeProcess(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - t0);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}`));
    });
  });
}

async function benchProcesses(builds: readonly Build[]): Promise<Figure[]> {
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ...builds.flatMap(({ name, bin }): [string, string[]][] => [
      [`${name} --version`, [bin, '--version']],
      [`${name} --help`, [bin, '--help']],
    ]),
  ];
  const runs = cases.map((): number[] => []);
  for (const [, args] of cases) await timeProcess(args); // warms the file cache
  for (let r = 0; r < PROCESS_RUNS; r++) {
    for (const [i, [, args]] of cases.entries()) runs[i]!.push(await timeProcess(args));
  }
  return cases.map(([label], i) => ({ label, runs: runs[i]!, missed: 0 }));
}

interface ViewCase {
  readonly label: string;
  readonly command: string;
  /** Named predicates on the screen, each a figure. */
  readonly marks: readonly [string, (screen: string) => boolean][];
  /** How to leave: keys sent once every mark is seen. */
  readonly quit: readonly string[];
}

function commandOf(args: string): string {
  // ink draws only the last frame when CI is set: a terminal user sees every frame.
  return `exec env -u CI ${process.execPath} ${args}`;
}

const VIEW_MARKS: ViewCase['marks'] = [['first rows', hasRows], ['first CPU figure', hasCpuFigure], ['first RX figure', hasNetworkFigure]];

async function benchViews(builds: readonly Build[], btop: string | undefined): Promise<{ views: Figure[]; btop: Figure | undefined }> {
  const cases: ViewCase[] = [
    // The peer: node writing one line, through the same tmux pane and capture.
    { label: 'node -e (one line), in tmux', command: commandOf(`-e "console.log(1234567)"`), marks: [['output', (s) => s.includes('1234567')]], quit: [] },
    ...builds.flatMap(({ name, bin }): ViewCase[] => [
      { label: `${name} --demo 20`, command: commandOf(`${bin} --demo 20`), marks: VIEW_MARKS, quit: ['q'] },
      { label: `${name} this machine`, command: commandOf(bin), marks: VIEW_MARKS, quit: ['q'] },
    ]),
  ];
  if (btop !== undefined) {
    // btop's first frame: its boxes drawn (more than a few lines of the screen written).
    cases.push({ label: 'btop', command: `exec ${btop}`, marks: [['first frame', (s) => s.split('\n').filter((l) => l.trim() !== '').length > 10]], quit: ['q'] });
  }
  const runs = cases.map((c) => c.marks.map((): number[] => []));
  const missed = cases.map((c) => c.marks.map(() => 0));
  const tmux = new TmuxControl({ width: 140, height: 30 });
  try {
    for (let r = 0; r < VIEW_RUNS; r++) {
      for (const [i, c] of cases.entries()) {
        const watch = await tmux.watch(c.command, c.marks.map(([, holds]) => holds), VIEW_BOUND_MS);
        watch.ms.forEach((ms, j) => {
          if (ms === undefined) missed[i]![j]!++;
          else runs[i]![j]!.push(ms);
        });
        if (c.quit.length > 0) await tmux.send(...c.quit);
        if (!(await tmux.waitDead(5_000))) throw new Error(`${c.label} did not exit after ${c.quit.join(' ')}; last screen:\n${watch.screen}`);
      }
    }
  } finally {
    tmux.close();
  }
  const figures = cases.flatMap((c, i) => c.marks.map(([mark], j) => ({ label: `${c.label}: ${mark}`, runs: runs[i]![j]!, missed: missed[i]![j]! })));
  const btopFigure = btop === undefined ? undefined : figures.pop();
  return { views: figures, btop: btopFigure };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    if (dir !== '' && existsSync(path)) return path;
  }
  return undefined;
}

/** `builds`: this one, and any other to compare with in the same turns. */
export async function benchStartup(builds: readonly Build[] = [THIS_BUILD]): Promise<StartupResult> {
  const processes = await benchProcesses(builds);
  const btopPath = onPath('btop');
  if (!existsSync(TMUX)) return { processes, btop: 'tmux is not installed: no view figures' };
  const { views, btop } = await benchViews(builds, btopPath);
  return { processes, views, btop: btop ?? 'btop is not installed here: no figure for its first frame' };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function line(f: Figure, peerMs: number): string {
  if (f.runs.length === 0) return `  ${f.label.padEnd(46)} never within ${VIEW_BOUND_MS / 1000} s (${f.missed} runs)`;
  const m = median(f.runs);
  const missed = f.missed > 0 ? `, ${f.missed} runs never within ${VIEW_BOUND_MS / 1000} s` : '';
  return `  ${f.label.padEnd(46)} median ${m.toFixed(0).padStart(5)} ms  min ${Math.min(...f.runs).toFixed(0).padStart(5)} ms  ${(m / peerMs).toFixed(1).padStart(5)}x node -e 0  (${f.runs.length} runs${missed})`;
}

export function printStartup(result: StartupResult): void {
  const peer = median(result.processes[0]!.runs);
  for (const f of result.processes) console.log(line(f, peer));
  for (const f of result.views ?? []) console.log(line(f, peer));
  console.log(typeof result.btop === 'string' ? `  ${result.btop}` : line(result.btop, peer));
}
