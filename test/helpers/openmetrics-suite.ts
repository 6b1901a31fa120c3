import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './http-endpoints.js';
import { startPrometheus } from './prometheus-server.js';

/** The OpenMetrics project's parser test suite, as copied into the fixtures (see its README.md). */
export const SUITE_DIR = fileURLToPath(new URL('../fixtures/openmetrics/', import.meta.url));
export const VERDICTS_FILE = join(SUITE_DIR, 'verdicts.json');

export interface SuiteCase {
  /** The case's folder name in the suite. */
  readonly name: string;
  /** Its `metrics` file, byte for byte. */
  readonly bytes: Buffer;
  /** Its `test.json`'s shouldParse. */
  readonly shouldParse: boolean;
}

/** One case's verdicts as recorded in verdicts.json. */
export interface RecordedVerdict {
  /** The suite's own verdict (test.json's shouldParse). */
  readonly suite: boolean;
  /** Whether Prometheus 2.42 scrapes it (`up` 1) when it is served as OpenMetrics. */
  readonly prometheus: boolean;
  /** The scrape error Prometheus reports for it, '' when it scrapes. */
  readonly prometheusError: string;
}

export interface RecordedVerdicts {
  readonly source: string;
  readonly prometheusVersion: string;
  readonly method: string;
  readonly cases: Readonly<Record<string, RecordedVerdict>>;
}

/** Every case, in the order of their names. */
export function loadSuite(): SuiteCase[] {
  return readdirSync(SUITE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const test = JSON.parse(readFileSync(join(SUITE_DIR, name, 'test.json'), 'utf8')) as { shouldParse?: unknown };
      if (typeof test.shouldParse !== 'boolean') throw new Error(`${name}/test.json has no shouldParse`);
      return { name, bytes: readFileSync(join(SUITE_DIR, name, 'metrics')), shouldParse: test.shouldParse };
    });
}

export function loadVerdicts(): RecordedVerdicts {
  return JSON.parse(readFileSync(VERDICTS_FILE, 'utf8')) as RecordedVerdicts;
}

/** The media type Prometheus's scrapes ask for first, and what an OpenMetrics exporter answers. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

interface ApiTarget {
  labels: Record<string, string>;
  health: string;
  lastError: string;
}

/**
 * What the real Prometheus (/usr/bin/prometheus) makes of every case: each served from a loopback
 * endpoint as OpenMetrics, one target per case, and each target's health and scrape error read
 * from /api/v1/targets once every target has been scraped. A case that parses is `up`.
 *
 * Waits (bounded) for the first scrape of every target; throws when some are never scraped.
 */
export async function prometheusVerdicts(cases: readonly SuiteCase[]): Promise<Map<string, { up: boolean; error: string }>> {
  const byPath = new Map(cases.map((c) => [`/${c.name}`, c]));
  const endpoint = await serve((req, res) => {
    const found = byPath.get(req.url ?? '');
    if (found === undefined) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', OPENMETRICS_CONTENT_TYPE);
    res.end(found.bytes);
  });
  try {
    const prometheus = await startPrometheus(() =>
      [
        // Generous timeout: a scrape that times out on a busy machine would read as a rejection.
        'global: { scrape_interval: 2s, scrape_timeout: 2s }',
        'scrape_configs:',
        '  - job_name: suite',
        '    static_configs:',
        ...cases.map((c) => `      - { targets: ['127.0.0.1:${endpoint.port}'], labels: { __metrics_path__: '/${c.name}', case: '${c.name}' } }`),
        '',
      ].join('\n'),
    );
    try {
      for (let attempt = 0; attempt < 300; attempt++) {
        const res = await fetch(`${prometheus.url}/api/v1/targets?state=active`);
        const body = (await res.json()) as { data?: { activeTargets?: ApiTarget[] } };
        const targets = body.data?.activeTargets ?? [];
        const scraped = targets.filter((t) => t.health !== 'unknown');
        if (targets.length === cases.length && scraped.length === cases.length) {
          return new Map(targets.map((t) => [t.labels.case ?? '', { up: t.health === 'up', error: t.lastError }]));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('Prometheus did not scrape every case');
    } finally {
      await prometheus.stop();
    }
  } finally {
    await endpoint.close();
  }
}
