/**
 * The store's fields that hold text from outside, each made visible (see util/visible-text.ts)
 * as it enters. Each function returns the object it was given when none of its text needs it,
 * which is nearly always: a check per string, no copy, on the path every scrape takes.
 */
import type { TargetHealth } from '../scrape/types.js';
import type { KubeNodeInfo, PodFigures } from '../metrics/kube-figures.js';
import type { ColumnReading } from '../expr/column.js';
import type { AppView } from '../metrics/app-model.js';
import { hasUnsafe, visible, visibleList, visibleRecord } from '../util/visible-text.js';

export function visibleHealth(health: TargetHealth): TargetHealth {
  return health.lastError !== null && hasUnsafe(health.lastError) ? { ...health, lastError: visible(health.lastError) } : health;
}

export function visibleKube(kube: KubeNodeInfo): KubeNodeInfo {
  const labels = visibleRecord(kube.labels);
  const roles = visibleList(kube.roles);
  const problems = visibleList(kube.problems);
  const unsafe =
    labels !== kube.labels || roles !== kube.roles || problems !== kube.problems || hasUnsafe(kube.kubeletVersion) || (kube.internalIP !== null && hasUnsafe(kube.internalIP));
  if (!unsafe) return kube;
  return { ...kube, labels, roles, problems, kubeletVersion: visible(kube.kubeletVersion), internalIP: kube.internalIP === null ? null : visible(kube.internalIP) };
}

function podUnsafe(p: PodFigures): boolean {
  return hasUnsafe(p.namespace) || hasUnsafe(p.name) || p.containers.some((c) => hasUnsafe(c.name));
}

export function visiblePods(pods: readonly PodFigures[]): readonly PodFigures[] {
  if (!pods.some(podUnsafe)) return pods;
  return pods.map((p) =>
    podUnsafe(p) ? { ...p, namespace: visible(p.namespace), name: visible(p.name), containers: p.containers.map((c) => ({ ...c, name: visible(c.name) })) } : p,
  );
}

export function visibleColumns(columns: Readonly<Record<string, ColumnReading>>): Readonly<Record<string, ColumnReading>> {
  let unsafe = false;
  for (const name in columns) if (hasUnsafe(name) || columns[name]?.parts.some((p) => hasUnsafe(p.labels))) unsafe = true;
  if (!unsafe) return columns;
  const out: Record<string, ColumnReading> = {};
  for (const [name, reading] of Object.entries(columns)) {
    out[visible(name)] = { ...reading, parts: reading.parts.map((p) => ({ ...p, labels: visible(p.labels) })) };
  }
  return out;
}

export function visibleApp(app: AppView | null): AppView | null {
  if (!app) return app;
  const unsafe = app.families.some((f) => hasUnsafe(f.name) || f.series.some((s) => hasUnsafe(s.labels)));
  if (!unsafe) return app;
  return {
    ...app,
    families: app.families.map((f) => ({ ...f, name: visible(f.name), series: f.series.map((s) => ({ ...s, labels: visible(s.labels) })) })),
  };
}
