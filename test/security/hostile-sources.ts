/**
 * Every source of cluster-top, fed the hostile strings of hostile.ts through whatever the source
 * reads: scraped exposition text, the Prometheus API, the Kubernetes API and its kubelets, a
 * --scrape-config with its file_sd files, and a recording. Each fixture says where each string
 * must show up, made visible, so that the test proves the path was taken.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type Endpoint } from '../helpers/http-endpoints.js';
import { oneNodeAnswer, startFakePrometheus, type Answer, type RecordedRequest } from '../sources/prometheus/fake-prometheus.js';
import { startFakeApiServer } from '../sources/kube/fake-apiserver/index.js';
import { T } from '../sources/kube/kube-helpers.js';
import { encodeEntry, headerLine } from '../../src/record/format.js';
import type { NodeFigures } from '../../src/metrics/node-figures.js';
import type { TargetHealth } from '../../src/scrape/types.js';
import type { ColumnReading } from '../../src/expr/column.js';
import { visible } from '../../src/util/visible-text.js';
import { HOSTILE as H, type HostileName, type Probe } from './hostile.js';
import { removeTempDir, tempDir } from '../helpers/temp-dir.js';

export interface Fixture {
  /** The command line, without --once and -o. */
  readonly args: readonly string[];
  readonly probes: readonly Probe[];
  /** Hostile strings the source is fed but that its format cannot carry to any output, and why. */
  readonly uncarried?: { readonly names: readonly HostileName[]; readonly why: string };
  /** Secrets the source is fed (on command lines) that no output may hold, in any form. */
  readonly secrets?: readonly string[];
  /** Runs while the source collects (a Kubernetes cluster's kubelets); returns what stops it. */
  readonly whileCollecting?: () => () => void;
  close(): Promise<void>;
}

export interface HostileSource {
  readonly name: string;
  start(): Promise<Fixture>;
}

/** Every node gets an alert at once (up is 1 or 0): the alert lines and the panel quote node names. */
const ALERT = ['--alert', 'up>=0'];

/** A label value as the text exposition format writes it: only backslash, quote and newline have escapes. */
const quoted = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** A node_exporter payload of a few families, the node called `nodename`. */
export function nodeExporterText(nodename: string): string {
  return [
    `node_uname_info{nodename=${quoted(nodename)},sysname="Linux",release="6.1.0"} 1`,
    'node_load1 0.5',
    'node_memory_MemTotal_bytes 1e9',
    'node_memory_MemAvailable_bytes 4e8',
    'node_cpu_seconds_total{cpu="0",mode="idle"} 100',
    'node_cpu_seconds_total{cpu="0",mode="user"} 20',
    '',
  ].join('\n');
}

/** An endpoint on 127.0.0.1 that answers `body` as exposition text. */
export function text(body: string): Promise<Endpoint> {
  return serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body));
}

const closeAll = (endpoints: readonly Endpoint[]): Promise<void> => Promise.all(endpoints.map((e) => e.close())).then(() => undefined);

/** node_exporter and application targets, scraped. */
const scrape: HostileSource = {
  name: 'scraped exposition text',
  async start() {
    // The exposition format escapes only \n in a label value; C1, bidi and zero-width characters,
    // tab, ESC and DEL pass raw (Prometheus scrapes them too). CR has no escape and ends the line:
    // the last endpoint's value is unterminated.
    const appName = `queue${H.csi}depth`;
    const appLabel = `route${H.bidi}`;
    const appLabel2 = `zw${H.zeroWidth}x${H.tab}y`;
    const appLabel3 = `esc${H.oscTitle}${H.osc52}${H.sgr}${H.del}`;
    const badNumber = `${H.csi}${H.bidi}${H.zeroWidth}`;
    const endpoints = [
      await text(nodeExporterText(H.forgedRow)),
      await text(
        [
          '# TYPE http_requests_total counter',
          `http_requests_total{path=${quoted(appLabel)},code="200"} 5`,
          `http_requests_total{path=${quoted(appLabel2)},code="500"} 1`,
          `http_requests_total{path=${quoted(appLabel3)},code="503"} 1`,
          `http_requests_total{path=${quoted(`nl${H.forgedRow}`)},code="404"} 2`,
          `{${quoted(appName)}} 3`,
          '',
        ].join('\n'),
      ),
      await text(`node_load1 ${badNumber}\n`),
      await text(`node_load1{x=${quoted(`cr${H.cr}`)}} 1\n`),
    ];
    return {
      args: [...endpoints.map((e) => e.url), '-i', '200ms', ...ALERT],
      probes: [
        { text: H.forgedRow, in: ['table', 'json', 'frames'] },
        { text: appName, in: ['frames'] },
        { text: appLabel, in: ['frames'] },
        { text: appLabel2, in: ['frames'] },
        { text: appLabel3, in: ['frames'] },
        { text: `nl${H.forgedRow}`, in: ['frames'] },
        { text: `expected a number, got "${badNumber}"`, in: ['table', 'json', 'frames'] },
        { text: 'unterminated label value', in: ['table', 'json', 'frames'] },
      ],
      uncarried: { names: ['cr'], why: 'the exposition format has no escape for CR, and a raw one ends the line' },
      close: () => closeAll(endpoints),
    };
  },
};

/** The instance labels and nodenames of a fake Prometheus's answers, and a failing query. */
const prometheus: HostileSource = {
  name: 'the Prometheus API',
  async start() {
    const instance1 = `a:9100${H.oscTitle}`;
    const nodename1 = `${H.bidi}${H.osc52}`;
    // Without a nodename, a node is called by its instance.
    const instance2 = `b:9100${H.sgr}${H.csi}${H.zeroWidth}${H.tab}${H.cr}${H.del}`;
    const errorType = `execution${H.del}`;
    /** oneNodeAnswer's node a:9100 (alpha) becomes two hostile ones; the cores query fails with a hostile error. */
    const answer = (req: RecordedRequest): Answer => {
      const q = req.form.get('query') ?? '';
      if (q.startsWith('count by (job, instance)')) {
        return { status: 422, body: JSON.stringify({ status: 'error', errorType, error: `${H.forgedRow}${H.bidi}` }) };
      }
      const a = oneNodeAnswer(req);
      if (a === 'hang' || (a.status ?? 200) !== 200) return a;
      const body = JSON.parse(a.body) as { data: { result: { metric: Record<string, string> }[] } };
      const uname = q.includes('node_uname_info');
      body.data.result = body.data.result.flatMap((item) => {
        if (item.metric.instance !== 'a:9100') return [item];
        const one = { ...item, metric: { ...item.metric, instance: instance1, ...(item.metric.nodename ? { nodename: nodename1 } : {}) } };
        const { nodename: _unused, ...rest } = item.metric;
        const two = { ...item, metric: { ...rest, instance: instance2 } };
        return uname ? [one] : [one, two];
      });
      return { body: JSON.stringify(body) };
    };
    const fake = await startFakePrometheus(answer);
    const notice = `cores query failed: ${errorType}: ${H.forgedRow}${H.bidi}`;
    // The client flattens every run of C0 and C1 characters in the server's text to one space
    // (oneLine in src/sources/prometheus/decode.ts); the bidi override is left to be made visible.
    const shown = `cores query failed: execution : evil FAKE-ROW   up   0.0%${visible(H.bidi)}`;
    return {
      args: ['--prometheus', fake.url, '-i', '1s', ...ALERT],
      probes: [
        { text: nodename1, in: ['table', 'json', 'frames'] },
        { text: instance1, in: ['json', 'frames'] },
        { text: instance2, in: ['table', 'json', 'frames'] },
        { text: notice, in: ['stderr', 'frames'], as: { stderr: shown, frames: shown } },
      ],
      close: () => fake.close(),
    };
  },
};

/** A Node's name, labels, kubelet version and address from the API server; pods from its kubelet. */
const kubernetes: HostileSource = {
  name: 'the Kubernetes API',
  async start() {
    const kubelet = `v1.32.4${H.oscTitle}`;
    const role = `ops${H.sgr}`;
    const zone = `zone${H.osc52}`;
    const ip = `10.0.0.9${H.cr}${H.del}`;
    const name = `w2${H.bidi}${H.zeroWidth}`;
    // Pods come from the kubelet's exposition text: what a label value can carry (see above).
    const pod = `web${H.forgedRow}`;
    const namespace = `ns${H.csi}`;
    const container = `c${H.tab}x`;
    // A pending pod holding a GPU, with restarts: known from its Pod object alone (the kubelet runs nothing of it).
    const pending = `queued${H.bidi}${H.oscTitle}`;
    const pendingNamespace = `ml${H.zeroWidth}`;
    const server = await startFakeApiServer({
      startTime: T,
      nodes: [
        { name: 'w1', kubeletVersion: kubelet, roles: [role], labels: { 'topology.kubernetes.io/zone': zone }, internalIP: ip, gpus: { capacity: 8 } },
        // The name goes into the kubelet proxy's path (percent-encoded); the fake does not decode it, so this kubelet is a 404.
        { name },
      ],
      pods: [
        { name: pod, namespace, node: 'w1', containers: [{ name: container, cpuCores: 0.1, memoryBytes: 2 ** 20 }] },
        { name: pending, namespace: pendingNamespace, node: 'w1', phase: 'Pending', containers: [{ name: 'trainer', resources: { limits: { 'nvidia.com/gpu': '2' } }, restartCount: 5 }] },
      ],
    });
    const path = await server.kubeconfig();
    return {
      args: ['--kubeconfig', path, '--interval', '300ms', ...ALERT],
      probes: [
        { text: kubelet, in: ['json', 'frames'] },
        { text: role, in: ['json', 'frames'] },
        { text: zone, in: ['frames'] },
        { text: ip, in: ['json', 'frames'] },
        { text: name, in: ['table', 'json', 'frames'] },
        { text: pod, in: ['frames'] },
        { text: namespace, in: ['frames'] },
        { text: container, in: ['frames'] },
        { text: pending, in: ['store', 'frames'] },
        { text: pendingNamespace, in: ['store', 'frames'] },
      ],
      // The kubelets collect as real ones do every few seconds, so that rates exist.
      whileCollecting: () => {
        const timer = setInterval(() => {
          server.clock.advance(1000);
          server.collect();
        }, 100);
        return () => clearInterval(timer);
      },
      close: () => server.close(),
    };
  },
};

/** job_name, static labels and file_sd labels of a --scrape-config, and a key it does not know. */
const scrapeConfig: HostileSource = {
  name: '--scrape-config and file_sd',
  async start() {
    const dir = tempDir('hostile-sd');
    const endpoints = [await text(nodeExporterText('static-node')), await text(nodeExporterText('file-node'))];
    const job = `node${H.oscTitle}`;
    const unknownKey = `colour${H.sgr}`;
    const env = H.forgedRow;
    const tier = H.bidi;
    const team = `team${H.osc52}`;
    const rack = `rack${H.csi}${H.zeroWidth}${H.tab}${H.cr}${H.del}`;
    // A JSON string is a YAML double-quoted scalar: its \u escapes carry every character.
    const y = (s: string): string => JSON.stringify(s);
    writeFileSync(join(dir, 'sd.json'), JSON.stringify([{ targets: [`127.0.0.1:${endpoints[1]?.port}`], labels: { team, rack } }]));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'scrape_configs:',
        `  - job_name: ${y(job)}`,
        `    ${y(unknownKey)}: 1`,
        `    static_configs: [{ targets: ['127.0.0.1:${endpoints[0]?.port}'], labels: { env: ${y(env)}, tier: ${y(tier)} } }]`,
        '  - job_name: files',
        '    file_sd_configs: [{ files: [sd.json] }]',
        '',
      ].join('\n'),
    );
    return {
      args: ['--scrape-config', join(dir, 'prometheus.yml'), '-i', '200ms', ...ALERT],
      probes: [
        { text: job, in: ['json', 'stderr', 'frames'] },
        { text: unknownKey, in: ['stderr'] },
        { text: env, in: ['json', 'frames'] },
        { text: tier, in: ['json', 'frames'] },
        { text: team, in: ['json', 'frames'] },
        { text: rack, in: ['json', 'frames'] },
      ],
      close: async () => {
        await closeAll(endpoints);
        removeTempDir(dir);
      },
    };
  },
};

const T0 = Date.UTC(2026, 10, 21, 5, 0, 0);

function figures(cpu: number): NodeFigures {
  return {
    cpu: { cores: 2, usagePercent: cpu, perCoreUsagePercent: [cpu, cpu] },
    load: { load1: 0.5, load5: 0.4, load15: 0.3 },
    memory: { totalBytes: 1e9, usedBytes: 6e8, availableBytes: 4e8, usedPercent: 60 },
    swap: null,
    network: { receiveBytesPerSecond: 100, transmitBytesPerSecond: 50 },
    disk: { readBytesPerSecond: 0, writtenBytesPerSecond: 10 },
    filesystem: { sizeBytes: 1e10, usedBytes: 4e9 },
    uptimeSeconds: 86_400,
  };
}

const upHealth = (at: number): TargetHealth => ({
  up: true, lastSuccessMs: at, lastScrapeMs: at, lastDurationMs: 12, lastBodyBytes: 1000, lastWireBytes: 500, lastSamples: 10, lastError: null, consecutiveFailures: 0,
});

/** A recording written by hand: the recorder would write what the store holds, already visible. */
const replay: HostileSource = {
  name: '--replay recordings',
  async start() {
    const dir = tempDir('hostile-rec');
    const path = join(dir, 'hostile.rec');
    // Column names must be names (a recording with another is refused whole: test/security/hostile-columns.test.ts).
    const columns = ['rps', 'err'];
    const name = H.forgedRow;
    const target = `http://x${H.oscTitle}/metrics`;
    const job = `j${H.osc52}`;
    const labelKey = `k${H.zeroWidth}`;
    const labelValue = `v${H.tab}${H.sgr}`;
    const downName = `down${H.csi}`;
    const error = `refused${H.cr}${H.del}`;
    const part = `code="${H.csi}5${H.zeroWidth}${H.bidi}"`;
    const source = `bogus${H.oscTitle}`;
    const readings = (k: number): Record<string, ColumnReading> => ({
      [columns[0] ?? '']: { value: 1 + k, parts: [{ labels: part, value: 1 + k }], partCount: 1 },
      [columns[1] ?? '']: { value: 2, parts: [], partCount: 0 },
    });
    const lines = [
      headerLine(T0, 1000, columns).trimEnd(),
      JSON.stringify({ node: 0, id: 'n0', name, target, source: 'node_exporter', labels: { job, [labelKey]: labelValue } }),
      JSON.stringify({ node: 1, id: 'n1', name: downName, target: 'http://down/metrics', source: 'node_exporter', labels: { job: 'plain' } }),
    ];
    for (let k = 0; k < 3; k++) {
      const at = T0 + (k + 1) * 1000;
      const down: TargetHealth = { ...upHealth(at), up: false, lastSuccessMs: T0, lastError: error, consecutiveFailures: k + 1 };
      lines.push(JSON.stringify([at, encodeEntry(0, upHealth(at), figures(10 * k), { columns, readings: readings(k) }), encodeEntry(1, down, { ...figures(0), cpu: null, load: null, memory: null, swap: null, network: null, disk: null, filesystem: null, uptimeSeconds: null }, { columns })]));
    }
    // A damaged record: the replay stops before it, and says why, quoting the record.
    lines.push(JSON.stringify({ node: 2, id: 'n2', name: 'x', target: 'x', source, labels: {} }));
    writeFileSync(path, `${lines.join('\n')}\n`);
    return {
      args: ['--replay', path, ...ALERT],
      probes: [
        { text: name, in: ['table', 'json', 'frames'] },
        { text: target, in: ['json', 'frames'] },
        { text: job, in: ['json', 'frames'] },
        { text: labelKey, in: ['json'] },
        { text: labelValue, in: ['json', 'frames'] },
        { text: downName, in: ['table', 'json', 'frames'] },
        { text: error, in: ['table', 'json', 'frames'] },
        { text: part, in: ['frames'] },
        { text: `unknown source "${source}"`, in: ['stderr', 'frames'] },
      ],
      close: async () => removeTempDir(dir),
    };
  },
};

export const HOSTILE_SOURCES: readonly HostileSource[] = [scrape, prometheus, kubernetes, scrapeConfig, replay];
