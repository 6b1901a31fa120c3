/**
 * This machine's containers from cgroup v2, served by `cluster-top agent` in cAdvisor's family
 * names so that one reader (metrics/cadvisor.ts) serves both. A container is a cgroup whose
 * directory the runtime names after the container's id:
 *   Docker (systemd driver)   system.slice/docker-<id>.scope
 *   Podman                    …/libpod-<id>.scope (not libpod-conmon-<id>.scope, its monitor)
 *   containerd, CRI-O         …/cri-containerd-<id>.scope, …/crio-<id>.scope (kubepods.slice/…)
 *   cgroupfs driver           docker/<id>, kubepods/…/<id>
 * Its name comes from the runtime's state where readable (Docker's config.v2.json, Podman's
 * containers.json), else from the runtime's API socket where readable (runtime-api.ts), else it
 * is the id's first 12 characters, as `docker ps` shows it. The restart count comes from the same
 * places (config.v2.json and the API's RestartCount); containerd and CRI-O keep none that can be
 * read here (the kubelet reports Kubernetes' restarts in the pods pane).
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Family } from '../sources/local/node-families.js';
import { parseNetDev } from '../sources/local/proc-parse.js';
import { RESTARTS_FAMILY } from '../metrics/container-stats.js';
import { KEPT_LABELS, type RuntimeApi, type RuntimeFacts } from './runtime-api.js';

export interface CgroupPaths {
  /** The cgroup v2 mount. */
  readonly cgroupRoot: string;
  /** /proc, for each container's network (the first process's /proc/<pid>/net/dev). */
  readonly procRoot: string;
  /** Docker's data root: containers/<id>/config.v2.json. */
  readonly dockerRoot: string;
  /** Podman's (root) storage: overlay-containers/containers.json. */
  readonly podmanRoot: string;
}

export const DEFAULT_CGROUP_PATHS: CgroupPaths = {
  cgroupRoot: '/sys/fs/cgroup',
  procRoot: '/proc',
  dockerRoot: '/var/lib/docker',
  podmanRoot: '/var/lib/containers/storage',
};

/** Directories visited at most per read, and how deep: kubepods nest four levels below the root. */
const MAX_DIRS = 4_000;
const MAX_DEPTH = 6;
/** Containers served at most; the reader keeps the heaviest 100 of them. */
const MAX_CONTAINERS = 1_000;
/** A state file larger than this is not read: config.v2.json is a few KiB. */
const MAX_STATE_BYTES = 1 << 20;
/** Names, images and labels are cut to this many characters: far past real ones, bounded whatever a state file says. */
export const MAX_LABEL_CHARS = 256;

const ID = '[0-9a-f]{64}';
const SCOPE = new RegExp(`^(docker|libpod|cri-containerd|crio)-(${ID})\\.scope$`);
const BARE = new RegExp(`^${ID}$`);

/** Which runtime runs a container, from its cgroup's name: the one whose API can say more of it. */
export type Runtime = 'docker' | 'podman' | 'cri';

/** The runtimes' API sockets the agent may ask (runtime-api.ts); each where readable. */
export interface RuntimeApis {
  readonly docker?: RuntimeApi;
  readonly podman?: RuntimeApi;
}

export interface ContainerCgroup {
  /** The cgroup's path below the root, with a leading slash: cAdvisor's `id`. */
  readonly path: string;
  readonly id: string;
  readonly runtime: Runtime;
  readonly name: string;
  readonly image: string | null;
  readonly composeProject: string | null;
  readonly composeService: string | null;
  readonly startedAtSeconds: number | null;
  /** The runtime's restart count (Docker's and Podman's RestartCount); null where not readable. */
  readonly restarts: number | null;
  readonly cpuSeconds: number | null;
  readonly workingSetBytes: number | null;
  /** null: `max`, no limit. */
  readonly limitBytes: number | null;
  readonly readBytes: number | null;
  readonly writtenBytes: number | null;
  /** Per interface (loopback left out); empty when the container's /proc is not readable. */
  readonly network: readonly { readonly device: string; readonly rx: number; readonly tx: number }[];
}

/** A file's text, bounded; undefined when it cannot be read (gone, not permitted, too big). */
async function readSmall(path: string, limit = 64 * 1024): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(limit + 1);
    const { bytesRead } = await handle.read(buffer, 0, limit + 1, 0);
    return bytesRead > limit ? undefined : buffer.toString('utf8', 0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** `key value` lines (cpu.stat, memory.stat) as numbers. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/** io.stat: `maj:min rbytes=… wbytes=… …` per device, summed over the devices. */
export function parseIoStat(text: string): { read: number; written: number } {
  let read = 0;
  let written = 0;
  for (const line of text.split('\n')) {
    for (const field of line.trim().split(/\s+/).slice(1)) {
      const [key, value] = field.split('=');
      if (key === 'rbytes') read += Number(value) || 0;
      else if (key === 'wbytes') written += Number(value) || 0;
    }
  }
  return { read, written };
}

/** memory.max: bytes, or null for `max`. */
function parseMax(text: string | undefined): number | null {
  const t = text?.trim();
  return t === undefined || t === 'max' || !/^\d+$/.test(t) ? null : Number(t);
}

/** The cgroups of containers below the root: breadth first, bounded in directories and depth. */
async function findContainerCgroups(root: string): Promise<{ path: string; id: string; runtime: Runtime }[]> {
  const found: { path: string; id: string; runtime: Runtime }[] = [];
  let level = [''];
  let visited = 0;
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && visited < MAX_DIRS; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      if (++visited > MAX_DIRS) break;
      let entries;
      try {
        entries = await readdir(join(root, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        const path = `${rel}/${e.name}`;
        const scope = SCOPE.exec(e.name);
        const id = scope?.[2] ?? (BARE.test(e.name) ? e.name : undefined);
        // A container's own cgroup: its children (a systemd-in-container's) are part of it.
        if (id !== undefined) {
          if (found.length < MAX_CONTAINERS) found.push({ path, id, runtime: runtimeOf(scope?.[1], path) });
        } else {
          next.push(path);
        }
      }
    }
    level = next;
  }
  return found;
}

/** docker-<id>.scope and the cgroupfs driver's docker/<id>: Docker; libpod-<id>.scope: Podman; the rest: a CRI runtime. */
function runtimeOf(prefix: string | undefined, path: string): Runtime {
  if (prefix === 'docker' || (prefix === undefined && path.startsWith('/docker/'))) return 'docker';
  return prefix === 'libpod' ? 'podman' : 'cri';
}

interface RuntimeState {
  readonly name: string;
  readonly image: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly startedAtSeconds: number | null;
  readonly restarts: number | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A text from a runtime, bounded: a label value is cut, never dropped. */
const bounded = (text: string): string => (text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text);
const boundedOrNull = (text: string | null | undefined): string | null => (text === null || text === undefined ? null : bounded(text));

/**
 * Docker's config.v2.json: only the name, image, compose labels and start time are taken; the
 * rest (the environment, which may hold secrets) is never kept.
 */
async function dockerState(dockerRoot: string, id: string): Promise<RuntimeState | undefined> {
  const text = await readSmall(join(dockerRoot, 'containers', id, 'config.v2.json'), MAX_STATE_BYTES);
  if (text === undefined) return undefined;
  try {
    const json = JSON.parse(text) as { Name?: unknown; RestartCount?: unknown; Config?: { Image?: unknown; Labels?: unknown }; State?: { StartedAt?: unknown } };
    const name = str(json.Name)?.replace(/^\//, '');
    if (!name) return undefined;
    const labels: Record<string, string> = {};
    const raw = json.Config?.Labels;
    if (raw && typeof raw === 'object') {
      for (const key of KEPT_LABELS) {
        const v = str((raw as Record<string, unknown>)[key]);
        if (v !== null) labels[key] = v;
      }
    }
    const started = Date.parse(str(json.State?.StartedAt) ?? '');
    const count = json.RestartCount;
    return {
      name,
      image: str(json.Config?.Image),
      labels,
      startedAtSeconds: Number.isFinite(started) && started > 0 ? started / 1000 : null,
      restarts: typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : null,
    };
  } catch {
    return undefined;
  }
}

/** Podman's containers.json: `[{id, names, image}]` for every container of the store. */
async function podmanStates(podmanRoot: string): Promise<Map<string, RuntimeState>> {
  const out = new Map<string, RuntimeState>();
  const text = await readSmall(join(podmanRoot, 'overlay-containers', 'containers.json'), 8 * MAX_STATE_BYTES);
  if (text === undefined) return out;
  try {
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) return out;
    for (const c of list as { id?: unknown; names?: unknown; image?: unknown }[]) {
      const id = str(c.id);
      const name = Array.isArray(c.names) ? str(c.names[0]) : null;
      if (id && name) out.set(id, { name, image: str(c.image), labels: {}, startedAtSeconds: null, restarts: null });
    }
  } catch {
    // An unreadable state file leaves the ids as names.
  }
  return out;
}

/** The container's network, as its first process sees it; empty when not readable. */
async function network(paths: CgroupPaths, cgroup: string): Promise<ContainerCgroup['network']> {
  const procs = await readSmall(join(paths.cgroupRoot, cgroup, 'cgroup.procs'));
  const pid = procs?.split('\n').find((l) => /^\d+$/.test(l.trim()))?.trim();
  if (pid === undefined) return [];
  const text = await readSmall(join(paths.procRoot, pid, 'net', 'dev'));
  if (text === undefined) return [];
  return parseNetDev(text)
    .filter((d) => d.device !== 'lo')
    .map((d) => ({ device: d.device, rx: d.in, tx: d.out }));
}

/**
 * When the cgroup was made, from its directory's modification time, as cAdvisor dates a cgroup:
 * the container's start where no runtime says (Podman without its socket, containerd, CRI-O), so
 * that their age shows and a restart (a new cgroup) is seen.
 */
async function createdAtSeconds(dir: string): Promise<number | null> {
  try {
    const ms = (await stat(dir)).mtimeMs;
    return ms > 0 ? ms / 1000 : null;
  } catch {
    return null;
  }
}

/** Whether the unified (v2) hierarchy is mounted at the root: it has cgroup.controllers there. */
export async function hasCgroupV2(cgroupRoot = DEFAULT_CGROUP_PATHS.cgroupRoot): Promise<boolean> {
  return (await readSmall(join(cgroupRoot, 'cgroup.controllers'))) !== undefined;
}

/** What the runtime's API last said of a container (nothing until its first answer; never waited for). */
function askApi(apis: RuntimeApis, runtime: Runtime, id: string): RuntimeFacts | undefined {
  const api = runtime === 'docker' ? apis.docker : runtime === 'podman' ? apis.podman : undefined;
  return api?.facts(id);
}

/**
 * Reads every container's cgroup once. Files that vanish mid-read (a container stopping) are
 * skipped. `apis`: the runtimes' sockets, asked in the background (their answers serve the next read).
 */
export async function readContainerCgroups(paths: CgroupPaths = DEFAULT_CGROUP_PATHS, apis: RuntimeApis = {}): Promise<ContainerCgroup[]> {
  const cgroups = await findContainerCgroups(paths.cgroupRoot);
  const ids = new Set(cgroups.map((c) => c.id));
  apis.docker?.keepOnly(ids);
  apis.podman?.keepOnly(ids);
  if (cgroups.length === 0) return [];
  const podman = await podmanStates(paths.podmanRoot);
  return Promise.all(
    cgroups.map(async ({ path, id, runtime }): Promise<ContainerCgroup> => {
      const dir = join(paths.cgroupRoot, path);
      const [cpuText, current, statText, max, ioText, state, net, made] = await Promise.all([
        readSmall(join(dir, 'cpu.stat')),
        readSmall(join(dir, 'memory.current')),
        readSmall(join(dir, 'memory.stat')),
        readSmall(join(dir, 'memory.max')),
        readSmall(join(dir, 'io.stat')),
        podman.get(id) ?? dockerState(paths.dockerRoot, id),
        network(paths, path),
        createdAtSeconds(dir),
      ]);
      const usageUsec = cpuText === undefined ? undefined : parseFlatKeyed(cpuText).get('usage_usec');
      const usage = current === undefined || !/^\d+$/.test(current.trim()) ? null : Number(current.trim());
      // Working set as cAdvisor and the kubelet count it: usage less the inactive file pages.
      const inactiveFile = statText === undefined ? 0 : (parseFlatKeyed(statText).get('inactive_file') ?? 0);
      const io = ioText === undefined ? null : parseIoStat(ioText);
      const api = askApi(apis, runtime, id);
      // The state file first, the API where the file said nothing.
      const label = (key: (typeof KEPT_LABELS)[number]) => boundedOrNull(state?.labels[key] ?? api?.labels[key]);
      return {
        path,
        id,
        runtime,
        name: bounded(state?.name ?? api?.name ?? id.slice(0, 12)),
        image: boundedOrNull(state?.image ?? api?.image),
        composeProject: label('com.docker.compose.project'),
        composeService: label('com.docker.compose.service'),
        startedAtSeconds: state?.startedAtSeconds ?? api?.startedAtSeconds ?? made,
        // The API's count is the live one; config.v2.json is written at each start too.
        restarts: api?.restarts ?? state?.restarts ?? null,
        cpuSeconds: usageUsec === undefined ? null : usageUsec / 1e6,
        workingSetBytes: usage === null ? null : Math.max(0, usage - inactiveFile),
        limitBytes: parseMax(max),
        readBytes: io?.read ?? null,
        writtenBytes: io?.written ?? null,
        network: net,
      };
    }),
  );
}

/** The containers as cAdvisor's families, with cAdvisor's labels (`id`, `name`, `image`, compose labels). */
export function containerFamilies(containers: readonly ContainerCgroup[]): Family[] {
  const labelsOf = (c: ContainerCgroup): Record<string, string> => ({
    ...(c.composeProject !== null ? { container_label_com_docker_compose_project: c.composeProject } : {}),
    ...(c.composeService !== null ? { container_label_com_docker_compose_service: c.composeService } : {}),
    id: c.path,
    image: c.image ?? '',
    name: c.name,
  });
  const family = (name: string, help: string, type: Family['type'], pick: (c: ContainerCgroup) => number | null, extra: Record<string, string> = {}): Family => ({
    name,
    help,
    type,
    samples: containers.flatMap((c) => {
      const v = pick(c);
      return v === null ? [] : [{ labels: { ...labelsOf(c), ...extra }, value: v }];
    }),
  });
  const perInterface = (name: string, help: string, pick: (n: ContainerCgroup['network'][number]) => number): Family => ({
    name,
    help,
    type: 'counter',
    samples: containers.flatMap((c) => c.network.map((n) => ({ labels: { ...labelsOf(c), interface: n.device }, value: pick(n) }))),
  });
  return [
    family('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', 'counter', (c) => c.cpuSeconds, { cpu: 'total' }),
    family('container_memory_working_set_bytes', 'Current working set in bytes.', 'gauge', (c) => c.workingSetBytes),
    family('container_spec_memory_limit_bytes', 'Memory limit for the container.', 'gauge', (c) => c.limitBytes ?? 0),
    family('container_fs_reads_bytes_total', 'Cumulative count of bytes read', 'counter', (c) => c.readBytes),
    family('container_fs_writes_bytes_total', 'Cumulative count of bytes written', 'counter', (c) => c.writtenBytes),
    perInterface('container_network_receive_bytes_total', 'Cumulative count of bytes received', (n) => n.rx),
    perInterface('container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted', (n) => n.tx),
    family('container_start_time_seconds', 'Start time of the container since unix epoch in seconds.', 'gauge', (c) => c.startedAtSeconds),
    family(RESTARTS_FAMILY, "Times the runtime restarted the container (Docker's and Podman's RestartCount), where its state or API socket is readable.", 'counter', (c) => c.restarts),
  ].filter((f) => f.samples.length > 0);
}
