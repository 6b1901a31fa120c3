/**
 * Static targets plus whatever the providers (DNS, file_sd) find, fed into one scrape Pipeline.
 * The pipeline is told only when the set changes (a target added or gone, or its labels), and
 * setTargets leaves the targets that stay alone: their history and schedule go on.
 */
import type { Pipeline } from '../node-list/pipeline.js';
import { ForwardingSource } from '../forwarding-source.js';
import type { Target } from '../../targets/target.js';
import { uniqueTargets } from '../../targets/targets-file.js';
import type { TargetProvider } from './provider.js';

export class DiscoverySource extends ForwardingSource<Pipeline> {
  private readonly statics: readonly Target[];
  private readonly providers: readonly TargetProvider[];
  private readonly timers = new Map<TargetProvider, NodeJS.Timeout>();
  private readonly running = new Map<TargetProvider, Promise<void>>();
  private applied = '';
  private stopped = false;

  constructor(pipeline: Pipeline, statics: readonly Target[], providers: readonly TargetProvider[]) {
    super(pipeline);
    this.statics = statics;
    this.providers = providers;
  }

  /** Each provider's trouble (a failed lookup, a broken file) and the pipeline's, for the header. */
  override get notice(): string | undefined {
    const lines = [super.notice, ...this.providers.map((p) => p.notice)].filter((n): n is string => n !== undefined);
    return lines.length === 0 ? undefined : lines.join('; ');
  }

  /** The same trouble on stderr when the run ends: a snapshot has no header to show it in. */
  override get warning(): string | undefined {
    return this.notice;
  }

  /**
   * Asks every provider once, before start(), and applies what they all found at once: the
   * targets are then in the order given (static, DNS, files), whichever answered first.
   */
  async refreshAll(): Promise<void> {
    await Promise.all(this.providers.map((p) => p.refresh()));
    this.apply();
  }

  override start(): void {
    for (const p of this.providers) {
      p.watch?.(() => void this.refresh(p));
      this.arm(p);
    }
    super.start();
  }

  override setIntervalMs(ms: number): void {
    super.setIntervalMs(ms);
    // Providers that follow the interval move to the new one now.
    for (const p of this.providers) if (p.refreshMs === undefined && this.timers.has(p)) this.arm(p);
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const p of this.providers) p.close();
    await Promise.all(this.running.values());
    await super.stop();
  }

  private arm(p: TargetProvider): void {
    clearTimeout(this.timers.get(p));
    const timer = setTimeout(() => {
      void this.refresh(p).then(() => {
        if (!this.stopped) this.arm(p);
      });
    }, p.refreshMs ?? this.interval);
    timer.unref();
    this.timers.set(p, timer);
  }

  /** One refresh of `p` at a time: a watch event during a slow refresh waits for it, then looks again. */
  private refresh(p: TargetProvider): Promise<void> {
    const previous = this.running.get(p) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.stopped) return;
      await p.refresh();
      if (!this.stopped) this.apply();
    });
    this.running.set(p, next);
    void next.finally(() => {
      if (this.running.get(p) === next) this.running.delete(p);
    });
    return next;
  }

  private apply(): void {
    const targets = uniqueTargets([...this.statics, ...this.providers.flatMap((p) => p.targets)]);
    const signature = targets.map((t) => `${t.id}\n${JSON.stringify(t.labels)}`).join('\n');
    if (signature === this.applied) return;
    this.applied = signature;
    this.inner.setTargets(targets);
  }
}
