/** Every error a user may see has one base, a code of its own, and an exit status docs/reference.md lists. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from '../../src/exposition/types.js';
import { ExprError } from '../../src/expr/ast.js';
import { FormatError } from '../../src/record/format.js';
import { RecordingError } from '../../src/record/reader.js';
import { StaleConnectionError } from '../../src/scrape/http1-connection.js';
import { ScrapeError } from '../../src/scrape/scrape-error.js';
import { ConfigError } from '../../src/sources/discovery/config-fields.js';
import { ApiError } from '../../src/sources/kube/api-client.js';
import { KubeAuthError } from '../../src/sources/kube/credentials.js';
import { KubeconfigError } from '../../src/sources/kube/kubeconfig-files.js';
import { MachineReadError } from '../../src/sources/local/machine-reading.js';
import { PrometheusError } from '../../src/sources/prometheus/client.js';
import { PrometheusApiError } from '../../src/sources/prometheus/decode.js';
import { SelectorError } from '../../src/sources/prometheus/selector.js';
import { TargetError } from '../../src/targets/parse-target.js';
import { CtError, EXIT_NOTHING_READ, EXIT_USAGE, UsageError } from '../../src/util/errors.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const reference = readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8');

const errors: readonly [CtError, number][] = [
  [new UsageError('--x is wrong'), EXIT_USAGE],
  [new TargetError('invalid target "x:y"'), EXIT_USAGE],
  [new RecordingError('x.rec: not a cluster-top recording'), EXIT_USAGE],
  [new FormatError('bad record'), EXIT_USAGE],
  [new ConfigError('p.yml: scrape_configs[0]: bad'), EXIT_USAGE],
  [new KubeconfigError('k.yaml: no current context'), EXIT_USAGE],
  [new SelectorError('--selector takes matchers'), EXIT_USAGE],
  [new ExprError('unknown function', 3), EXIT_USAGE],
  [new ScrapeError('HTTP 500', 500), EXIT_NOTHING_READ],
  [new StaleConnectionError(), EXIT_NOTHING_READ],
  [new ExpositionError(1, 2, 'bad'), EXIT_NOTHING_READ],
  [new ApiError('HTTP 403', 403), EXIT_NOTHING_READ],
  [new KubeAuthError('exec plugin failed'), EXIT_NOTHING_READ],
  [new PrometheusError('Prometheus: connection refused'), EXIT_NOTHING_READ],
  [new PrometheusApiError('bad_data'), EXIT_NOTHING_READ],
  [new MachineReadError('/proc/stat: permission denied'), EXIT_NOTHING_READ],
];

/** The statuses of the reference's "Exit status" table. */
function documentedStatuses(): Set<number> {
  const section = reference.slice(reference.indexOf('## Exit status'));
  return new Set([...section.slice(0, section.indexOf('\n## ', 1)).matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('errors', () => {
  it.each(errors.map((e) => [e[0].name, ...e] as const))('%s is a CtError with a code of its own and its exit status', (_name, error, status) => {
    expect(error).toBeInstanceOf(CtError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toMatch(/^CT_ERR_[A-Z_]+$/);
    expect(error.exitStatus).toBe(status);
    expect(error.name).not.toBe('Error');
  });

  it('no two kinds share a code', () => {
    const codes = errors.map(([e]) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('every exit status an error carries is in docs/reference.md', () => {
    const documented = documentedStatuses();
    expect([...documented]).toEqual(expect.arrayContaining([0, 1, 2, 3, 70]));
    for (const [error] of errors) expect(documented).toContain(error.exitStatus);
  });

  it('every error class in src/ extends CtError (or is control flow, never shown)', () => {
    const plain = sourceFiles(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends Error\b/g)].map((m) => m[1]));
    // CtError itself; list-watch.ts's Expired: a watch's "410 Gone", caught where it is thrown to
    // list again; fast-vector.ts's Unforeseen: the scanner's way out to JSON.parse, caught inside it.
    expect(plain.sort()).toEqual(['CtError', 'Expired', 'Unforeseen']);
  });
});
