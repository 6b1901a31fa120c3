/**
 * Records test/fixtures/openmetrics/verdicts.json: the suite's verdict of every case and what the
 * real Prometheus (/usr/bin/prometheus) makes of it when scraping it as OpenMetrics. Run with
 * `node --import tsx test/helpers/record-openmetrics-verdicts.ts` after updating the suite or
 * Prometheus; test/exposition/openmetrics-suite.test.ts checks the file against both.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { PROMETHEUS } from './prometheus-server.js';
import { type RecordedVerdict, type RecordedVerdicts, VERDICTS_FILE, loadSuite, prometheusVerdicts } from './openmetrics-suite.js';

const SOURCE =
  'https://github.com/OpenObservability/OpenMetrics (formerly prometheus/OpenMetrics), tests/testdata/parsers/ ' +
  'at commit 296468bc2359ebac83f24301b54a0871f2268016 (2024-09-18; the folder last changed in 03873fae47f1df8de9edb6fc6bd29dbccd8e0d39)';
const METHOD =
  'test/helpers/openmetrics-suite.ts prometheusVerdicts(): each case served from a loopback HTTP endpoint with ' +
  'Content-Type "application/openmetrics-text; version=1.0.0; charset=utf-8", one target per case of a Prometheus ' +
  'started on a loopback port with a throw-away TSDB (scrape_interval and scrape_timeout 2s, defaults otherwise); ' +
  'each target\'s health and lastError read from /api/v1/targets once every target was scraped. ' +
  '"prometheus": true when the target is up. "prometheusError" is its lastError as reported: Prometheus 2.42 quotes ' +
  'the bad token from a buffer it reuses, so the token quoted may come from a later scrape of another case.';

const version = execFileSync(PROMETHEUS, ['--version'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '';
const cases = loadSuite();
const found = await prometheusVerdicts(cases);
const recorded: Record<string, RecordedVerdict> = {};
for (const c of cases) {
  const v = found.get(c.name);
  if (v === undefined) throw new Error(`no verdict for ${c.name}`);
  recorded[c.name] = { suite: c.shouldParse, prometheus: v.up, prometheusError: v.error };
}
const out: RecordedVerdicts = { source: SOURCE, prometheusVersion: version, method: METHOD, cases: recorded };
writeFileSync(VERDICTS_FILE, `${JSON.stringify(out, null, 2)}\n`);
console.log(`${VERDICTS_FILE}: ${cases.length} cases, Prometheus scrapes ${[...found.values()].filter((v) => v.up).length}`);
