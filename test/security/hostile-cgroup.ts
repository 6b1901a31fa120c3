/**
 * Hostile text through `cluster-top agent`'s cgroup reader: container names, images and compose
 * labels from Docker's config.v2.json, Podman's containers.json and Docker's API socket (a fake
 * Engine answering a captured `docker inspect`, test/agent/fake-docker.ts), one of them far longer
 * than any real one. The agent's reader and exposition writer (src/agent) serve them as the agent
 * does, beside a node's families; cluster-top scrapes that over loopback.
 */
import { join } from 'node:path';
import { containerFamilies, readContainerCgroups } from '../../src/agent/cgroup-containers.js';
import { renderExposition } from '../../src/agent/exposition-text.js';
import { RuntimeApi } from '../../src/agent/runtime-api.js';
import { cgroup, DOCKER_ID, tree, write } from '../agent/cgroup-tree.js';
import { startFakeDocker } from '../agent/fake-docker.js';
import { removeTempDir, tempDir } from '../helpers/temp-dir.js';
import { HOSTILE as H } from './hostile.js';
import { nodeExporterText, text, type HostileSource } from './hostile-sources.js';

/** A Docker container whose state file is not readable: its name, image and labels come from the API. */
export const API_ID = 'f'.repeat(64);
const PODMAN_ID = '7c0a1f5b2e3d4c5b6a79888776655443322110ffeeddccbbaa99887766554433';

/** Far past any real image name: the agent cuts it (src/agent/cgroup-containers.ts, MAX_LABEL_CHARS). */
export const HUGE_IMAGE = `big${H.sgr}${'y'.repeat(100_000)}`;

export const CGROUP_TEXT = {
  dockerName: `db${H.oscTitle}`,
  dockerImage: `pg${H.osc52}:16`,
  dockerProject: `shop${H.bidi}`,
  dockerService: `svc${H.forgedRow}`,
  podmanName: `web${H.cr}${H.del}`,
  apiName: `api${H.csi}${H.zeroWidth}`,
  apiService: `a${H.tab}b`,
} as const;

/** The agent's payload for a cgroup tree whose runtimes hold the hostile texts; `dir` holds the tree. */
export async function hostileAgentPayload(dir: string): Promise<string> {
  const paths = tree(dir);
  const T = CGROUP_TEXT;
  write(
    join(paths.dockerRoot, 'containers', DOCKER_ID, 'config.v2.json'),
    JSON.stringify({ Name: `/${T.dockerName}`, RestartCount: 1, Config: { Image: T.dockerImage, Labels: { 'com.docker.compose.project': T.dockerProject, 'com.docker.compose.service': T.dockerService } }, State: { StartedAt: '2026-12-07T10:00:00Z' } }),
  );
  write(join(paths.podmanRoot, 'overlay-containers/containers.json'), JSON.stringify([{ id: PODMAN_ID, names: [T.podmanName], image: 'a1b2c3' }]));
  cgroup(paths.cgroupRoot, `system.slice/docker-${API_ID}.scope`, '300000000\n', 'max\n');
  const fake = await startFakeDocker(dir);
  try {
    fake.containers.set(API_ID, { name: T.apiName, restarts: 5, image: HUGE_IMAGE, labels: { 'com.docker.compose.project': T.dockerProject, 'com.docker.compose.service': T.apiService } });
    const docker = new RuntimeApi({ socketPath: fake.socketPath });
    // The first read asks the API; its answer serves the second, as the agent's next scrape.
    await readContainerCgroups(paths, { docker });
    await docker.settled();
    return renderExposition(containerFamilies(await readContainerCgroups(paths, { docker })));
  } finally {
    await fake.close();
  }
}

const source: HostileSource = {
  name: "cluster-top agent's cgroup reader (Docker's and Podman's state files, Docker's API socket)",
  async start() {
    const dir = tempDir('hostile-cgroup');
    let payload: string;
    try {
      payload = await hostileAgentPayload(dir);
    } finally {
      removeTempDir(dir);
    }
    const endpoint = await text(nodeExporterText('cgroup-node') + payload);
    const T = CGROUP_TEXT;
    return {
      args: [endpoint.url, '-i', '200ms', '--alert', 'up>=0'],
      probes: [
        { text: T.dockerName, in: ['store', 'json', 'frames'] },
        { text: T.dockerImage, in: ['store', 'json', 'frames'] },
        { text: T.dockerProject, in: ['store', 'json', 'frames'] },
        { text: T.dockerService, in: ['store', 'json', 'frames'] },
        { text: T.podmanName, in: ['store', 'json', 'frames'] },
        { text: T.apiName, in: ['store', 'json', 'frames'] },
        { text: T.apiService, in: ['store', 'json'] },
        // Cut to 256 characters by the agent: its start is there, visible.
        { text: HUGE_IMAGE.slice(0, 12), in: ['store', 'json'] },
      ],
      close: () => endpoint.close(),
    };
  },
};

export const HOSTILE_CGROUP_SOURCES: readonly HostileSource[] = [source];
