import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The form: POST body or GET query string. */
  readonly form: URLSearchParams;
}

/** A canned answer, or 'hang' to never answer (until the server closes). */
export type Answer = { readonly status?: number; readonly body: string; readonly contentType?: string } | 'hang';

export interface FakePrometheus {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the answering function (a server that starts failing mid-run). */
  answer: (req: RecordedRequest) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

/** An in-test endpoint on 127.0.0.1 (HTTPS with `tls`) that records every request and answers as told. */
export async function startFakePrometheus(answer: (req: RecordedRequest) => Answer | Promise<Answer>, tls?: { certPem: string; keyPem: string }): Promise<FakePrometheus> {
  const requests: RecordedRequest[] = [];
  let current = answer;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path = '/', search = ''] = (req.url ?? '/').split('?', 2);
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, form: new URLSearchParams(req.method === 'POST' ? body : search) };
      requests.push(recorded);
      // An answer may come later: a slow query.
      void Promise.resolve(current(recorded)).then((a) => {
        if (a === 'hang') return;
        res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json' }).end(a.body);
      });
    });
  };
  const server: Server = tls ? createTlsServer({ cert: tls.certPem, key: tls.keyPem }, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get answer() {
      return current;
    },
    set answer(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const vector = (result: unknown[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
const NODE = { job: 'node', instance: 'a:9100' };

/** The plain gauges of oneNodeAnswer's node, by name. */
const ONE_NODE_GAUGES: Readonly<Record<string, string>> = {
  node_load1: '1',
  node_load5: '2',
  node_load15: '3',
  node_memory_MemTotal_bytes: '1000',
  node_memory_MemAvailable_bytes: '400',
  node_memory_SwapTotal_bytes: '0',
  node_memory_SwapFree_bytes: '0',
  node_time_seconds: '2000',
  node_boot_time_seconds: '1000',
  node_filesystem_size_bytes: '100',
  node_filesystem_avail_bytes: '60',
};

/**
 * One node (a:9100, named alpha) as Prometheus would answer cluster-top's queries about it;
 * range queries get `rangeValue` at every step, for the node and for the cluster row.
 */
export function oneNodeAnswer(req: RecordedRequest, rangeValue = '0.42'): Answer {
  const q = req.form.get('query') ?? '';
  const t = Date.now() / 1000;
  if (req.path.endsWith('/query_range')) {
    const start = Number(req.form.get('start'));
    const end = Number(req.form.get('end'));
    const step = Number(req.form.get('step'));
    const values: [number, string][] = [];
    // The CPU halves (CPU seconds per second, idle and the rest) make a busy share of rangeValue.
    const idle = q.includes('{mode=~"idle|iowait|steal"');
    const value = !q.includes('node_cpu_seconds_total') ? rangeValue : String(idle ? 1 - Number(rangeValue) : Number(rangeValue));
    for (let x = start; x <= end + 1e-9; x += step) values.push([Math.round(x * 1000) / 1000, value]);
    const metric = /by \(job, instance\)|^node_load1/.test(q) ? NODE : {};
    return { body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric, values }] } }) };
  }
  const one = (value: string, labels: Record<string, string> = {}) => ({ metric: { ...NODE, ...labels }, value: [t, value] });
  const named = (entries: [string, string][]) => vector(entries.map(([name, v]) => one(v, { __name__: name })));
  if (q.startsWith('{__name__=~"up|')) return { body: named([['up', '1'], ['scrape_duration_seconds', '0.01'], ['scrape_samples_scraped', '100']]) };
  if (q.startsWith('max by (job, instance, nodename) (') || q.startsWith('node_uname_info')) return { body: vector([one('1', { nodename: 'alpha' })]) };
  if (q.startsWith('max(idelta(')) return { body: vector([{ metric: {}, value: [t, '15'] }]) };
  if (q.startsWith('count by')) return { body: vector([one('2')]) };
  // CPU seconds per second, idle and the rest: cores 0 and 1 busy 25 % and 75 %, the node 50 %.
  const idle = q.includes('{mode=~"idle|iowait|steal"');
  if (q.startsWith('sum by (job, instance, cpu) (rate(node_cpu_seconds_total')) return { body: vector([one(idle ? '0.75' : '0.25', { cpu: '0' }), one(idle ? '0.25' : '0.75', { cpu: '1' })]) };
  if (q.startsWith('sum by (job, instance) (rate(node_cpu_seconds_total')) return { body: vector([one('1')]) };
  // Gauges asked by name, as a regex of names or a plain selector: the ones this node has.
  const names = /^\{__name__=~"([^"]+)"/.exec(q)?.[1]?.split('|') ?? /^(node_[a-zA-Z_]+)\{/.exec(q)?.slice(1);
  const gauges = names?.filter((name) => ONE_NODE_GAUGES[name] !== undefined);
  if (gauges !== undefined && gauges.length > 0) return { body: named(gauges.map((name) => [name, ONE_NODE_GAUGES[name]!])) };
  // The GPU queries (one per exporter): this node has no GPUs.
  if (q.startsWith('{__name__=~"DCGM_FI_') || q.startsWith('{__name__=~"(.+_)?gpu_')) return { body: vector([]) };
  for (const [metric, v] of [['receive', '100'], ['transmit', '200'], ['disk_read', '300'], ['disk_written', '400']] as const) {
    if (q.includes(`node_${metric.startsWith('disk') ? metric : `network_${metric}`}_bytes_total`)) return { body: vector([one(v)]) };
  }
  return { status: 400, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: `fake: unexpected query ${q}` }) };
}
