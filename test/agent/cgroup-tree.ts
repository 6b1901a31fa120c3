/**
 * A fake cgroup v2 tree, laid out as Docker, Podman and the kubelet lay theirs, from real file
 * contents (test/fixtures/cgroup-v2/README.md).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupPaths } from '../../src/agent/cgroup-containers.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/cgroup-v2/${name}`, import.meta.url), 'utf8');
export const DOCKER_ID = 'abeb5a39998fd401bdf6f8db0cb5399d86fb417ecba254d03a959c96283b6bbb';
export const PODMAN_ID = '7c0a1f5b2e3d4c5b6a79888776655443322110ffeeddccbbaa99887766554433';
const KUBE_ID = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

export function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** A cgroup of a container: the fixture files, with `memory.current` and `memory.max` of its own. */
export function cgroup(root: string, rel: string, current: string, max: string, pid?: number): void {
  const dir = join(root, rel);
  write(join(dir, 'cpu.stat'), fixture('cpu.stat'));
  write(join(dir, 'memory.stat'), fixture('memory.stat'));
  write(join(dir, 'io.stat'), fixture('io.stat'));
  write(join(dir, 'memory.current'), current);
  write(join(dir, 'memory.max'), max);
  write(join(dir, 'cgroup.procs'), pid === undefined ? '' : `${pid}\n`);
}

export function tree(tmp: string): CgroupPaths {
  const paths = { cgroupRoot: join(tmp, 'cgroup'), procRoot: join(tmp, 'proc'), dockerRoot: join(tmp, 'docker'), podmanRoot: join(tmp, 'containers') };
  write(join(paths.cgroupRoot, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
  // Not containers: a systemd service, and Podman's monitor of a container.
  write(join(paths.cgroupRoot, 'system.slice/cron.service/cpu.stat'), fixture('cpu.stat'));
  write(join(paths.cgroupRoot, `machine.slice/libpod-conmon-${PODMAN_ID}.scope/cpu.stat`), fixture('cpu.stat'));
  // memory.current: the stat's anon + file + kernel (README); a Podman container whose every page is inactive file cache (working set 0).
  cgroup(paths.cgroupRoot, `system.slice/docker-${DOCKER_ID}.scope`, '34255073280\n', '34359738368\n', 4242);
  cgroup(paths.cgroupRoot, `machine.slice/libpod-${PODMAN_ID}.scope`, '20126994432\n', 'max\n');
  cgroup(paths.cgroupRoot, `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-${KUBE_ID}.scope`, '2000000000\n', 'max\n');
  write(join(paths.procRoot, '4242/net/dev'), fixture('proc-net-dev'));
  write(
    join(paths.dockerRoot, 'containers', DOCKER_ID, 'config.v2.json'),
    JSON.stringify({
      Name: '/shop-db-1',
      RestartCount: 2,
      Config: { Image: 'postgres:16', Env: ['POSTGRES_PASSWORD=s3cret'], Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', other: 'x' } },
      State: { StartedAt: '2026-12-07T10:00:00.123456789Z' },
    }),
  );
  write(join(paths.podmanRoot, 'overlay-containers/containers.json'), JSON.stringify([{ id: PODMAN_ID, names: ['web'], image: 'a1b2c3' }]));
  return paths;
}

