/**
 * Answers that are a success yet may be incomplete, as each project's documentation says it
 * writes them, and what cluster-top makes of them: one notice in the header, the snapshot's
 * `partial` and a line on stderr; never figures shown as whole.
 *
 * The answers (oneNodeAnswer's, with the envelope changed):
 * - Prometheus: `warnings` and `infos` beside `data` (prometheus.io/docs/prometheus/latest/querying/api,
 *   "Format overview": warnings for "errors that do not inhibit the request execution", infos for
 *   "potential query issues that may or may not be false positives"). The warning is a remote read
 *   that failed, as Prometheus words it (quoted in VictoriaMetrics/VictoriaMetrics#1887).
 * - Thanos: with `partial_response` (default true, its `--query.partial-response`) a StoreAPI that
 *   fails is a warning; with `partial_response=false` the query fails (thanos-io/thanos
 *   docs/components/query.md, "Partial Response"). The text is proxy_heap.go's
 *   `fetch series for %s %s` (pkg/store/proxy_heap.go).
 * - VictoriaMetrics cluster: `"isPartial": true` beside `status` when vmselect answered without some
 *   vmstorage nodes; with `deny_partial_response=1` an error instead
 *   (docs/victoriametrics/Cluster-VictoriaMetrics.md, and the answer's order of members in
 *   docs/guides/k8s-ha-monitoring-via-vm-cluster/README.md); errors as
 *   lib/httpserver/prometheus_error_response.qtpl writes them.
 * - Mimir: the Prometheus API under `<prometheus-http-prefix>` (default `/prometheus`), the tenant
 *   in `X-Scope-OrgID` (grafana/mimir docs/sources/mimir/references/http-api/index.md, "Path
 *   prefixes", "Authentication"); without it, 401 "no org id".
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/cli/snapshot.js';
import { PrometheusClient } from '../../../src/sources/prometheus/client.js';
import { PARTIAL_ANSWER } from '../../../src/sources/prometheus/decode.js';
import { PrometheusSource } from '../../../src/sources/prometheus/prometheus-source.js';
import { runCli } from '../../helpers/run-cli.js';
import { oneNodeAnswer, startFakePrometheus, type Answer, type FakePrometheus, type RecordedRequest } from './fake-prometheus.js';

const REMOTE_READ = 'remote_read: remote server http://vmselect:8481/select/0/prometheus/api/v1/read returned HTTP status 400 Bad Request: unsupported path requested';
const NOT_A_COUNTER = 'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "node_load1"';
const STORE_DOWN = 'fetch series for {cluster="eu-1", replica="a"} Addr: 10.0.3.7:10901 LabelSets: {cluster="eu-1", replica="a"} MinTime: 1700000000000 MaxTime: 9223372036854775807: rpc error: code = Unavailable desc = connection error';

type Envelope = Record<string, unknown>;

/** oneNodeAnswer with its envelope changed by `change` (the data kept). */
function withEnvelope(change: (body: Envelope, req: RecordedRequest) => Envelope): (req: RecordedRequest) => Answer {
  return (req) => {
    const a = oneNodeAnswer(req);
    if (a === 'hang' || (a.status ?? 200) !== 200) return a;
    return { body: JSON.stringify(change(JSON.parse(a.body) as Envelope, req)) };
  };
}

const prometheusAnswer = withEnvelope((b) => ({ ...b, warnings: [REMOTE_READ], infos: [NOT_A_COUNTER] }));
const infosOnly = withEnvelope((b) => ({ ...b, infos: [NOT_A_COUNTER] }));
const thanosAnswer = (req: RecordedRequest): Answer =>
  req.form.get('partial_response') === 'false'
    ? { status: 422, body: JSON.stringify({ status: 'error', errorType: 'execution', error: STORE_DOWN }) }
    : withEnvelope((b) => ({ ...b, warnings: [STORE_DOWN] }))(req);
const vmClusterAnswer = (req: RecordedRequest): Answer =>
  req.form.get('deny_partial_response') === '1'
    ? { status: 422, body: JSON.stringify({ status: 'error', errorType: '422', error: 'cannot fetch query results from vmstorage nodes: cannot obtain data from 1 of 3 vmstorage nodes' }) }
    : withEnvelope(({ status, ...rest }) => ({ status, isPartial: true, ...rest }))(req);

describe('answers that may be incomplete', () => {
  const fakes: FakePrometheus[] = [];
  const sources: PrometheusSource[] = [];
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  async function collect(answer: (req: RecordedRequest) => Answer, denyPartial = false): Promise<{ source: PrometheusSource; fake: FakePrometheus }> {
    const fake = await startFakePrometheus(answer);
    fakes.push(fake);
    const source = new PrometheusSource({ client: new PrometheusClient({ baseUrl: new URL(fake.url), timeoutMs: 2000, denyPartial }), displayUrl: fake.url, selector: '', intervalMs: 1000, historyPoints: 4 });
    sources.push(source);
    await source.collectOnce();
    return { source, fake };
  }

  it('Prometheus: a warning makes the figures possibly incomplete; an info does not', async () => {
    const { source } = await collect(prometheusAnswer);
    expect(source.partial).toBe(REMOTE_READ);
    expect(source.notice).toBe(`Prometheus: answer may be incomplete: ${REMOTE_READ}`);
    // What was collected is shown, said to be incomplete.
    expect(source.store.nodes()[0]?.figures.memory?.usedPercent).toBe(60);
    const { source: quiet } = await collect(infosOnly);
    expect(quiet.partial).toBeUndefined();
    expect(quiet.notice).toBeUndefined();
  });

  it('Thanos: a store that did not answer is a warning; --no-partial-response makes it an error', async () => {
    const { source, fake } = await collect(thanosAnswer);
    expect(source.partial).toBe(STORE_DOWN.slice(0, 159) + '…');
    expect(source.notice).toMatch(/^Prometheus: answer may be incomplete: fetch series for \{cluster="eu-1"/);
    expect(fake.requests.every((r) => !r.form.has('partial_response'))).toBe(true);
    const denied = await collect(thanosAnswer, true);
    expect(denied.fake.requests.length).toBeGreaterThan(0);
    expect(denied.fake.requests.every((r) => r.form.get('partial_response') === 'false' && r.form.get('deny_partial_response') === '1')).toBe(true);
    expect(denied.source.store.nodes()).toHaveLength(0);
    expect(denied.source.notice).toMatch(/^Prometheus: execution: fetch series for/);
    expect(denied.source.partial).toBeUndefined();
  });

  it('VictoriaMetrics cluster: isPartial says so, whatever the warnings; deny_partial_response=1 makes it an error', async () => {
    const { source } = await collect(vmClusterAnswer);
    expect(source.partial).toBe(PARTIAL_ANSWER);
    expect(source.notice).toBe(`Prometheus: answer may be incomplete: ${PARTIAL_ANSWER}`);
    expect(source.store.nodes()[0]?.health.up).toBe(true);
    const denied = await collect(vmClusterAnswer, true);
    expect(denied.source.notice).toBe('Prometheus: 422: cannot fetch query results from vmstorage nodes: cannot obtain data from 1 of 3 vmstorage nodes');
  });

  it('history loaded from a partial answer says so too', async () => {
    const fake = await startFakePrometheus(vmClusterAnswer);
    fakes.push(fake);
    const source = new PrometheusSource({ client: new PrometheusClient({ baseUrl: new URL(fake.url), timeoutMs: 2000 }), displayUrl: fake.url, selector: '', intervalMs: 1000, historyPoints: 10 });
    sources.push(source);
    source.start();
    await expect.poll(() => fake.requests.some((r) => r.path === '/api/v1/query_range') && source.store.cluster.length >= 10, { timeout: 5000, interval: 20 }).toBe(true);
    // The refresh's notice first; the history's shows once refreshes are whole.
    fake.answer = oneNodeAnswer;
    await expect.poll(() => source.notice, { timeout: 5000, interval: 20 }).toBe(`Prometheus: history answer may be incomplete: ${PARTIAL_ANSWER}`);
  });

  it('keeps a hostile warning to one bounded line', async () => {
    const hostile = `\u001b[2J\u001b]0;pwned\u0007store\r\ndown \u202egnp.exe ${'x'.repeat(10_000)}`;
    const { source } = await collect(withEnvelope((b) => ({ ...b, warnings: [hostile, ...Array.from({ length: 1000 }, (_, i) => `w${i}`)] })));
    const reason = source.partial ?? '';
    expect(reason.length).toBeLessThanOrEqual(160);
    expect(reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(reason.startsWith('[2J ]0;pwned store down')).toBe(true);
  });

  it('--once: one line on stderr, and `partial` in the JSON snapshot, valid by its schema', async () => {
    const hostile = `store eu-1 \u202e\u001b[31mdown`;
    const fake = await startFakePrometheus(withEnvelope(({ status, ...rest }) => ({ status, isPartial: true, ...rest, warnings: [hostile] })));
    fakes.push(fake);
    const r = await runCli(['--prometheus', fake.url, '--once', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`cluster-top: Prometheus: answer may be incomplete: ${PARTIAL_ANSWER}\n`);
    const snapshot = JSON.parse(r.stdout) as Snapshot;
    expect(snapshot.partial).toBe(PARTIAL_ANSWER);
    expect(snapshot.nodes[0]?.up).toBe(true);
    const schema = JSON.parse(readFileSync(new URL('../../../docs/snapshot.schema.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    // ajv-formats is CommonJS: its function is the module itself at run time, `default` in its types.
    ((formats as unknown as { default: typeof formats.default }).default ?? formats)(ajv);
    const validate = ajv.compile(schema);
    expect(validate(snapshot), ajv.errorsText(validate.errors)).toBe(true);
    // A warning alone (no isPartial): its text, made visible, in both.
    const warned = await startFakePrometheus(withEnvelope((b) => ({ ...b, warnings: [hostile] })));
    fakes.push(warned);
    const w = await runCli(['--prometheus', warned.url, '--once', '-o', 'json']);
    expect(w.stderr).toBe('cluster-top: Prometheus: answer may be incomplete: store eu-1 \\u202e [31mdown\n');
    const s = JSON.parse(w.stdout) as Snapshot;
    expect(validate(s), ajv.errorsText(validate.errors)).toBe(true);
    expect(s.partial).toBe('store eu-1 \\u202e [31mdown');
    // A whole answer: no `partial` at all.
    const whole = await startFakePrometheus(oneNodeAnswer);
    fakes.push(whole);
    const ok = await runCli(['--prometheus', whole.url, '--once', '-o', 'json']);
    expect(ok.stderr).toBe('');
    expect('partial' in (JSON.parse(ok.stdout) as Snapshot)).toBe(false);
  });

  it('Mimir: the path prefix and the tenant header reach every query', async () => {
    const mimir = await startFakePrometheus((req) =>
      !req.path.startsWith('/prometheus/api/v1/') ? { status: 404, body: '404 page not found\n', contentType: 'text/plain' }
      : req.headers['x-scope-orgid'] === undefined ? { status: 401, body: 'no org id\n', contentType: 'text/plain' }
      : oneNodeAnswer(req),
    );
    fakes.push(mimir);
    const refused = await runCli(['--prometheus', `${mimir.url}/prometheus`, '--once']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('cluster-top: Prometheus: HTTP 401 Unauthorized\n');
    const from = mimir.requests.length;
    const r = await runCli(['--prometheus', `${mimir.url}/prometheus`, '-H', 'X-Scope-OrgID: team-a', '--once', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as Snapshot).nodes[0]?.name).toBe('alpha');
    expect(mimir.requests.slice(from).every((q) => q.headers['x-scope-orgid'] === 'team-a' && q.path.startsWith('/prometheus/api/v1/query'))).toBe(true);
  });
});
