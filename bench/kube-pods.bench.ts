/**
 * What the kube source keeps of a large cluster's pods: 5,000 nodes × 30 pods listed through
 * KubePods (list-watch.ts, pages of 500, as from the API server) against the peer, a cache of the
 * whole Pod objects as an informer keeps them. Heap after a full GC, per pod; list time.
 * The pods are the fake API server's (test/sources/kube/fake-apiserver/pod-object.ts, shaped after a
 * captured Pod): smaller than most real ones (no managedFields, env, volumes), so the peer's figure
 * is a floor.
 */
import { buildPod, type PodSpec } from '../test/sources/kube/fake-apiserver/pod-object.js';
import type { KubeApi } from '../src/sources/kube/api-client.js';
import { KubePods } from '../src/sources/kube/kube-pods.js';

const NODES = 5000;
const PODS_PER_NODE = 30;
const PAGE = 500;

export interface KubePodsBench {
  readonly pods: number;
  readonly keptBytesPerPod: number;
  readonly peerBytesPerPod: number;
  readonly listMs: number;
  readonly pageBytes: number;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc (npm run bench does)');
  collect();
  collect();
}

/** The pages' JSON text, as the API server sends them: parsed one at a time, as the client does. */
function pages(): string[] {
  const now = Date.now();
  const out: string[] = [];
  let items: unknown[] = [];
  const flush = (last: boolean): void => {
    out.push(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1000', ...(last ? {} : { continue: `page-${out.length + 1}` }) }, items }));
    items = [];
  };
  for (let n = 0; n < NODES; n++) {
    for (let p = 0; p < PODS_PER_NODE; p++) {
      const gpu = n % 4 === 0 && p < 2;
      const spec: PodSpec = {
        name: `app-${p}-7d9f8c6b5-${(n * PODS_PER_NODE + p).toString(36).padStart(5, 'x')}`,
        namespace: `team-${p % 12}`,
        node: `ip-10-0-${Math.floor(n / 250)}-${n % 250}.ec2.internal`,
        containers: [
          { name: 'app', resources: { limits: { cpu: '2', memory: '4Gi', ...(gpu ? { 'nvidia.com/gpu': '4' } : {}) }, requests: { cpu: '500m', memory: '1Gi' } }, restartCount: p % 7 === 0 ? 3 : 0 },
          { name: 'envoy', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
        ],
        labels: { app: `app-${p}`, 'pod-template-hash': '7d9f8c6b5', team: `team-${p % 12}` },
      };
      items.push(buildPod(spec, '10.0.0.1', now - 3_600_000, now));
      if (items.length === PAGE) flush(n === NODES - 1 && p === PODS_PER_NODE - 1);
    }
  }
  if (items.length > 0) flush(true);
  return out;
}

/** Serves the pages to a list, one getJson per page, by the continue token. */
function pagedApi(texts: readonly string[]): KubeApi {
  return {
    getJson: (path: string) => {
      const token = new URL(path, 'https://x').searchParams.get('continue');
      const index = token === null ? 0 : Number(token.slice('page-'.length));
      return Promise.resolve(JSON.parse(texts[index] ?? '{}') as unknown);
    },
  } as unknown as KubeApi;
}

export async function benchKubePods(): Promise<KubePodsBench> {
  const texts = pages();
  const pods = NODES * PODS_PER_NODE;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = new KubePods(pagedApi(texts), () => {}, () => 60_000);
  const started = performance.now();
  await kept.list();
  const listMs = performance.now() - started;
  gc();
  const keptBytes = process.memoryUsage().heapUsed - before;
  if (kept.allocatedGpus(`ip-10-0-0-0.ec2.internal`) !== 8) throw new Error('the bench pods were not all read');

  gc();
  const peerBefore = process.memoryUsage().heapUsed;
  const cache = new Map<string, unknown>();
  for (const text of texts) {
    for (const item of (JSON.parse(text) as { items: { metadata: { namespace: string; name: string } }[] }).items) cache.set(`${item.metadata.namespace}/${item.metadata.name}`, item);
  }
  gc();
  const peerBytes = process.memoryUsage().heapUsed - peerBefore;
  // Both kept alive until measured.
  if (cache.size !== pods || !kept.known) throw new Error('lost pods');
  return { pods, keptBytesPerPod: keptBytes / pods, peerBytesPerPod: peerBytes / pods, listMs, pageBytes: texts.reduce((n, t) => n + t.length, 0) / pods };
}

export function printKubePods(b: KubePodsBench): void {
  console.log(`pods ${b.pods.toLocaleString('en')} (${NODES} nodes × ${PODS_PER_NODE}), ${Math.round(b.pageBytes)} bytes of JSON per pod`);
  console.log(`kept by the kube source   ${b.keptBytesPerPod.toFixed(0)} bytes/pod   ${((b.keptBytesPerPod * b.pods) / 2 ** 20).toFixed(1)} MiB   list ${b.listMs.toFixed(0)} ms`);
  console.log(`whole objects (informer)  ${b.peerBytesPerPod.toFixed(0)} bytes/pod   ${((b.peerBytesPerPod * b.pods) / 2 ** 20).toFixed(1)} MiB`);
  console.log(`ratio kept/whole          ${(b.keptBytesPerPod / b.peerBytesPerPod).toFixed(3)}`);
}
