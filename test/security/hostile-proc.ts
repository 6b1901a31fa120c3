/**
 * Hostile text from this machine's /proc: a real process here, started under a command name and
 * with arguments that hold the hostile strings of hostile.ts and secrets, read by the local
 * source (no target) and by a real `cluster-top agent --process-args` scraped over loopback.
 * Where it ranks among this machine's processes is not ours to say, so its text is looked for in
 * the store; every output must still be clean and hold no secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { visible } from '../../src/util/visible-text.js';
import { removeTempDir, tempDir } from '../helpers/temp-dir.js';
import { startAgentProcess } from '../agent/agent-process.js';
import { freePort } from '../helpers/node-exporter.js';
import { HOSTILE as H, type Probe } from './hostile.js';
import type { Fixture, HostileSource } from './hostile-sources.js';

const ALERT = ['--alert', 'up>=0'];

const PASSWORD = 'hunter2';
const AWS_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCY';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0';

/** The kernel keeps 15 bytes of the name a program was run by: these are 11. */
const COMM = 'e\u001b]0;x\u0007\u202e';
/** One argument each, without blanks: an agent's joined line keeps them whole. */
const WORDS = [`--title=${H.oscTitle}`, H.osc52, `x${H.csi}${H.bidi}${H.zeroWidth}${H.del}${H.sgr}`];
/** Blanks inside arguments: an agent's joined line has them too, where the reader masks it again (src/util/secret-args.ts). */
const BLANKS = `a${H.tab}b${H.cr}${H.forgedRow}`;
const SECRETS = [`--password=${PASSWORD}`, `AWS_SECRET_ACCESS_KEY=${AWS_KEY}`, '-H', `Authorization: Bearer ${BEARER}`];

interface Running {
  readonly dir: string;
  stop(): Promise<void>;
}

/** Node, run through a link named COMM, idle, its arguments the hostile ones; stopped by its pid. */
async function startHostileProcess(): Promise<Running> {
  const dir = tempDir('hostile-proc');
  const link = join(dir, COMM);
  symlinkSync(process.execPath, link);
  const child: ChildProcess = spawn(link, ['-e', 'setInterval(() => undefined, 1e9)', '--', ...WORDS, BLANKS, ...SECRETS], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  return {
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exited;
      removeTempDir(dir);
    },
  };
}

const probes = (blanks: string): Probe[] => [
  { text: COMM, in: ['store'] },
  ...WORDS.map((w): Probe => ({ text: w, in: ['store'] })),
  { text: BLANKS, in: ['store'], as: { store: blanks } },
];

/** This machine, read by the local source. */
const local: HostileSource = {
  name: "this machine's /proc (the local source)",
  async start(): Promise<Fixture> {
    const proc = await startHostileProcess();
    return {
      args: ['-i', '200ms', ...ALERT],
      probes: probes(visible(BLANKS)),
      secrets: [PASSWORD, AWS_KEY, BEARER],
      close: () => proc.stop(),
    };
  },
};

/** This machine, served by a real `cluster-top agent --process-args` and scraped. */
const agent: HostileSource = {
  name: "this machine's /proc (a real cluster-top agent)",
  async start(): Promise<Fixture> {
    const proc = await startHostileProcess();
    const served = await startAgentProcess(['--listen', `127.0.0.1:${await freePort()}`, '--processes', '1000', '--process-args']);
    return {
      args: [served.url, '-i', '200ms', ...ALERT],
      // The agent writes a CR as the visible `\r` (src/agent/exposition-text.ts).
      probes: probes(visible(BLANKS.replace(/\r/g, '\\r'))),
      secrets: [PASSWORD, AWS_KEY, BEARER],
      close: async () => {
        await served.stop();
        await proc.stop();
      },
    };
  },
};

export const HOSTILE_PROC_SOURCES: readonly HostileSource[] = [local, agent];
