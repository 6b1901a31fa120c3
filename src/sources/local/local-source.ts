import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { NodeExporterDeriver } from '../../metrics/node-exporter.js';
import { GpuReader } from '../../metrics/gpu.js';
import { UNKNOWN_HEALTH, type TargetHealth } from '../../scrape/types.js';
import { ClusterStore } from '../../store/cluster-store.js';
import type { Source } from '../source.js';
import type { MachineReader } from './machine-reading.js';
import { familySamples, nodeFamilies } from './node-families.js';
import { thisMachineReader } from './readers.js';
import { ProcessReader } from './process-reader.js';
import { localProcesses, ProcessTable } from './process-table.js';

export interface LocalSourceOptions {
  readonly intervalMs: number;
  readonly historyPoints: number;
  /** Defaults to /proc on Linux, Node's os module elsewhere. */
  readonly reader?: MachineReader;
  /** The process list from this /proc folder; none when null. Default: /proc where the reader reads it. */
  readonly procFolder?: string | null;
}

/**
 * Processes kept by CPU and, again, by memory each refresh: more than a screen shows, and the
 * command lines of these only are read. The groups count every process.
 */
export const LOCAL_TOP_PROCESSES = 200;

export const LOCAL_ID = 'local';

/**
 * The second read after start, as btop does: rates (CPU, network, disk) need two. /proc/stat
 * counts in 10 ms ticks per core, so over 500 ms a first CPU % is within 2 % of a core; the byte
 * rates are exact (the reads' own times).
 */
export const LOCAL_FIRST_RATE_MS = 500;

/** This machine, read directly: one node named after the hostname, no exporter needed. */
export class LocalSource implements Source {
  readonly store: ClusterStore;
  private readonly reader: MachineReader;
  private readonly deriver: NodeExporterDeriver;
  /** This machine's GPUs, from the dcgm-exporter families nodeFamilies makes of nvidia-smi's answers. */
  private readonly gpus = new GpuReader();
  private intervalMs: number;
  private health: TargetHealth = UNKNOWN_HEALTH;
  private timer: NodeJS.Timeout | undefined;
  private firstRateTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly processes: ProcessTable | null;

  constructor(options: LocalSourceOptions) {
    this.reader = options.reader ?? thisMachineReader();
    const procFolder = options.procFolder === undefined ? (this.reader.missing.length === 0 ? '/proc' : null) : options.procFolder;
    this.processes = procFolder === null ? null : new ProcessTable(new ProcessReader(procFolder));
    this.intervalMs = options.intervalMs;
    this.store = new ClusterStore(options.historyPoints);
    const name = os.hostname();
    this.deriver = new NodeExporterDeriver(name);
    this.store.upsert({ id: LOCAL_ID, name, target: 'local', source: 'local' });
  }

  get interval(): number {
    return this.intervalMs;
  }

  get notice(): string | undefined {
    const missing = this.reader.missing;
    return missing.length === 0 ? undefined : `this machine without /proc: no ${missing.join(', ')} figures`;
  }

  /** Reads now, again LOCAL_FIRST_RATE_MS later (when shorter than the interval), then every interval. */
  start(): void {
    void this.refresh();
    if (LOCAL_FIRST_RATE_MS < this.intervalMs) {
      this.firstRateTimer = setTimeout(() => void this.refresh(), LOCAL_FIRST_RATE_MS);
      this.firstRateTimer.unref();
    }
    this.startTimer();
  }

  async collectOnce(): Promise<void> {
    const first = Date.now();
    await this.refresh();
    const wait = first + this.intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.refresh();
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
    if (this.timer) this.startTimer();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.firstRateTimer);
    await this.inFlight;
    this.processes?.close();
  }

  private startTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  /** A slow read is joined rather than overlapped, so two reads never race on the deriver. */
  private refresh(): Promise<void> {
    this.inFlight ??= this.readOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async readOnce(): Promise<void> {
    const atMs = Date.now();
    const started = performance.now();
    try {
      const samples = familySamples(nodeFamilies(await this.reader.read()));
      const derived = this.deriver.update(samples, atMs);
      this.health = {
        up: true,
        lastSuccessMs: atMs,
        lastScrapeMs: atMs,
        lastDurationMs: performance.now() - started,
        lastBodyBytes: null,
        lastWireBytes: null,
        lastSamples: samples.length,
        lastError: null,
        consecutiveFailures: 0,
      };
      this.store.record(LOCAL_ID, atMs, { name: derived.name, source: 'local', figures: derived.figures, health: this.health });
      this.readProcesses(atMs);
      this.store.recordGpus(LOCAL_ID, atMs, this.gpus.read(samples, atMs));
    } catch (error) {
      this.health = {
        ...this.health,
        up: false,
        lastScrapeMs: atMs,
        lastDurationMs: performance.now() - started,
        lastError: error instanceof Error ? error.message : String(error),
        consecutiveFailures: this.health.consecutiveFailures + 1,
      };
      this.store.recordDown(LOCAL_ID, atMs, this.health);
      if (this.processes) this.store.setProcesses(LOCAL_ID, null);
    }
    this.store.appendClusterPoint(atMs);
  }

  private readProcesses(atMs: number): void {
    if (!this.processes) return;
    try {
      this.store.setProcesses(LOCAL_ID, localProcesses(this.processes, this.processes.read(atMs), LOCAL_TOP_PROCESSES));
    } catch {
      // /proc unreadable as a folder: the node's figures say what failed; no process table
      this.store.setProcesses(LOCAL_ID, null);
    }
  }
}
