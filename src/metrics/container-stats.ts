/**
 * One container of a node as cAdvisor (or `cluster-top agent`, in cAdvisor's names) describes it:
 * the containers pane's row and the snapshot's `containers` entry. A figure the payload lacks is
 * null; a rate needs two readings, so it is null after the first.
 */
export interface ContainerStats {
  /** cAdvisor's `id`: the cgroup path, unique on the node. */
  readonly id: string;
  readonly name: string;
  readonly image: string | null;
  /** The `com.docker.compose.project` and `.service` labels. */
  readonly composeProject: string | null;
  readonly composeService: string | null;
  /** CPU in use as a share of one core, as `docker stats` and btop show it: 250 is 2.5 cores. */
  readonly cpuPercent: number | null;
  /** Working set: usage less inactive file pages, what the OOM killer weighs. */
  readonly memoryBytes: number | null;
  /** The cgroup's memory limit; null when there is none. */
  readonly memoryLimitBytes: number | null;
  readonly receiveBytesPerSecond: number | null;
  readonly transmitBytesPerSecond: number | null;
  readonly readBytesPerSecond: number | null;
  readonly writtenBytesPerSecond: number | null;
  /** When the container started, ms since the epoch; null when unknown. */
  readonly startedAtMs: number | null;
  /**
   * Restarts: with `restartsCounted` 'total', the runtime's own count since the container was
   * created (Docker's and Podman's RestartCount, served by `cluster-top agent`); with 'seen', the
   * restarts seen during this run (the same name started again; cAdvisor has no restart count).
   * null, and `restartsCounted` null, when neither is known.
   */
  readonly restarts: number | null;
  readonly restartsCounted: RestartsCounted | null;
}

/** How a container's restarts were counted (see ContainerStats.restarts). */
export type RestartsCounted = 'total' | 'seen';

/** `cluster-top agent`'s family beside cAdvisor's names: cAdvisor has no restart count. */
export const RESTARTS_FAMILY = 'cluster_top_container_restarts_total';

/** The containers of one node at one scrape. */
export interface ContainerTable {
  /** The heaviest containers (by CPU, then memory), at most MAX_CONTAINERS. */
  readonly containers: readonly ContainerStats[];
  /** Named containers left out to keep the table bounded. */
  readonly omitted: number;
  /** cgroups without a container name (systemd slices and services, the root): not shown. */
  readonly unnamed: number;
}

/** Per node: enough for any screen and for the cluster-wide table, bounded whatever the host runs. */
export const MAX_CONTAINERS = 100;
