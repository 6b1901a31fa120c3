import type { Target } from './target.js';

/**
 * Exporters that describe part of a machine (its containers, its processes) rather than the
 * machine: given beside a node's own target on the same host, their figures belong to that node's
 * row, not to a row of their own. Known by their usual port, or found out from their payload.
 */
export type CompanionKind = 'cadvisor' | 'process-exporter' | 'gpu';

/** The ports these exporters listen on by default (cAdvisor's web UI and /metrics; process-exporter). */
export const COMPANION_PORTS: ReadonlyMap<number, CompanionKind> = new Map([
  [8080, 'cadvisor'],
  [9256, 'process-exporter'],
  // dcgm-exporter and nvidia_gpu_exporter; AMD's device-metrics-exporter (:5000) is known by its payload.
  [9400, 'gpu'],
  [9835, 'gpu'],
]);

/**
 * The host part that joins targets: the URL's host name, lower-cased, without IPv6 brackets.
 * Names are compared as written: `localhost` and `127.0.0.1` are two hosts, as a user wrote them.
 */
export function hostKey(target: Target): string {
  return target.url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * The targets with, for every host among them, one more on `port` (`--cadvisor-port`, `--gpu-port`):
 * each new target declared a companion of `kind`. A host that has a target on that port already
 * keeps it. `scheme`: `http`, or `same` for the scheme of the host's first target (a GPU exporter
 * behind TLS where the node's exporter is; cAdvisor has no TLS of its own).
 */
export function withCompanionTargets(
  targets: readonly Target[],
  port: number,
  kind: CompanionKind,
  make: (url: string) => Target,
  scheme: 'http' | 'same' = 'http',
): { targets: Target[]; declared: Map<string, CompanionKind> } {
  const out = [...targets];
  const declared = new Map<string, CompanionKind>();
  const taken = new Set(targets.filter((t) => portOf(t) === port).map(hostKey));
  for (const t of targets) {
    const key = hostKey(t);
    if (taken.has(key)) continue;
    taken.add(key);
    const host = t.url.hostname;
    const companion = make(`${scheme === 'same' ? t.url.protocol : 'http:'}//${host}:${port}/metrics`);
    out.push(companion);
    declared.set(companion.id, kind);
  }
  return { targets: out, declared };
}

function portOf(target: Target): number {
  if (target.url.port !== '') return Number(target.url.port);
  return target.url.protocol === 'https:' ? 443 : 80;
}

/** The kind a target's port suggests, for a plain `/metrics` path; undefined otherwise. */
export function companionByPort(target: Target): CompanionKind | undefined {
  return target.url.pathname === '/metrics' ? COMPANION_PORTS.get(portOf(target)) : undefined;
}

/**
 * Which targets are companions of which node. A target is a companion when its port says so, or
 * when its payload did (markCompanion), and another target of the same host is no companion: that
 * target, the first such in the list, is its node. A companion alone on its host is a node itself.
 */
export class HostJoin {
  private byId = new Map<string, Target>();
  private readonly byHost = new Map<string, Target[]>();
  /** What targets' payloads showed them to be (null: no companion, whatever the port); kept across setTargets, by id. */
  private readonly found = new Map<string, CompanionKind | null>();

  /** `declared`: targets known to be companions of that kind, whatever their port (see withCompanionTargets). */
  setTargets(targets: readonly Target[], declared: ReadonlyMap<string, CompanionKind> = new Map()): void {
    for (const [id, kind] of declared) this.found.set(id, kind);
    this.byId = new Map(targets.map((t) => [t.id, t]));
    this.byHost.clear();
    for (const t of targets) {
      const key = hostKey(t);
      const list = this.byHost.get(key);
      if (list) list.push(t);
      else this.byHost.set(key, [t]);
    }
    for (const id of this.found.keys()) if (!this.byId.has(id)) this.found.delete(id);
  }

  /** What kind of companion a target is, by payload or port; undefined for a node's own target. */
  kindOf(targetId: string): CompanionKind | undefined {
    const found = this.found.get(targetId);
    if (found !== undefined) return found ?? undefined;
    const target = this.byId.get(targetId);
    return target && companionByPort(target);
  }

  /** The id of the node a companion's figures go to; undefined when the target is a node itself. */
  nodeFor(targetId: string): string | undefined {
    const target = this.byId.get(targetId);
    if (!target || this.kindOf(targetId) === undefined) return undefined;
    for (const other of this.byHost.get(hostKey(target)) ?? []) {
      if (other.id !== targetId && this.kindOf(other.id) === undefined) return other.id;
    }
    return undefined;
  }

  /**
   * A target's payload showed it to be a companion. True when this news moves it under a node of
   * its host (its own row should go); false when it stays a row of its own, or was known already.
   */
  markCompanion(targetId: string, kind: CompanionKind): boolean {
    if (!this.byId.has(targetId) || this.found.get(targetId) === kind) return false;
    this.found.set(targetId, kind);
    return this.nodeFor(targetId) !== undefined;
  }

  /**
   * A target on a companion's port turned out to be something else (an app on :8080): it is a
   * row of its own from now on. True when it was joined to a node until now.
   */
  markNode(targetId: string): boolean {
    const joined = this.nodeFor(targetId) !== undefined;
    if (this.byId.has(targetId)) this.found.set(targetId, null);
    return joined;
  }
}
