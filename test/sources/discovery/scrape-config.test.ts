import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/sources/discovery/config-fields.js';
import { parseScrapeConfig } from '../../../src/sources/discovery/scrape-config.js';

const FULL = `
global:
  scrape_interval: 15s
  scrape_timeout: 5s
  evaluation_interval: 30s
  external_labels: { cluster: eu }
rule_files: [rules.yml]
scrape_configs:
  - job_name: node
    scheme: https
    metrics_path: /probe
    params: { module: [http_2xx, tcp], target: [x] }
    honor_labels: true
    basic_auth: { username: admin, password_file: pw.txt }
    tls_config: { ca_file: ca.pem, cert_file: c.pem, key_file: k.pem, server_name: node.example, insecure_skip_verify: false, min_version: TLS12 }
    relabel_configs: [{ action: drop }]
    static_configs:
      - targets: ['a:9100', 'b:9100']
        labels: { env: prod }
    dns_sd_configs:
      - names: [_node._tcp.example]
      - names: [web.example]
        type: A
        port: 9100
        refresh_interval: 10s
      - names: [mail.example]
        type: MX
    file_sd_configs:
      - files: [sd/*.json, sd/extra.yml]
        refresh_interval: 1m
  - job_name: api
    authorization: { credentials: tok }
    scrape_interval: 5s
  - job_name: legacy
    bearer_token_file: token.txt
`;

describe('parseScrapeConfig', () => {
  it('reads every supported section', () => {
    const c = parseScrapeConfig(FULL, 'prometheus.yml');
    expect(c.intervalMs).toBe(15_000);
    expect(c.timeoutMs).toBe(5_000);
    expect(c.jobs.map((j) => j.name)).toEqual(['node', 'api', 'legacy']);
    const [node, api, legacy] = c.jobs;
    expect(node).toMatchObject({
      scheme: 'https',
      metricsPath: '/probe',
      params: { module: ['http_2xx', 'tcp'], target: ['x'] },
      auth: { kind: 'basic', username: 'admin', passwordFile: 'pw.txt' },
      tls: { caFile: 'ca.pem', certFile: 'c.pem', keyFile: 'k.pem', serverName: 'node.example', insecureSkipVerify: false },
      staticConfigs: [{ path: 'scrape_configs[0].static_configs[0]', targets: ['a:9100', 'b:9100'], labels: { env: 'prod' } }],
      dnsConfigs: [
        { names: ['_node._tcp.example'], type: 'SRV', refreshMs: 30_000 },
        { names: ['web.example'], type: 'A', port: 9100, refreshMs: 10_000 },
      ],
      fileConfigs: [{ files: ['sd/*.json', 'sd/extra.yml'], refreshMs: 60_000 }],
    });
    expect(api).toMatchObject({ scheme: 'http', metricsPath: '/metrics', intervalMs: 5_000, auth: { kind: 'authorization', type: 'Bearer', credentials: 'tok' } });
    expect(api?.timeoutMs).toBeUndefined();
    expect(node?.intervalMs).toBeUndefined();
    expect(legacy?.auth).toEqual({ kind: 'authorization', type: 'Bearer', credentialsFile: 'token.txt', fileField: 'bearer_token_file' });
  });

  it('names every field it does not support, one line each, with the job', () => {
    expect(parseScrapeConfig(FULL, 'prometheus.yml').warnings).toEqual([
      'prometheus.yml: scrape_configs[0].dns_sd_configs[2].type (job "node"): MX lookups are not supported (A, AAAA, SRV): this dns_sd_config is skipped',
      'prometheus.yml: scrape_configs[0].relabel_configs (job "node"): not supported, ignored',
      'prometheus.yml: scrape_configs[0].tls_config.min_version (job "node"): not supported, ignored',
      'prometheus.yml: global.evaluation_interval: not supported, ignored',
      'prometheus.yml: global.external_labels: not supported, ignored',
      'prometheus.yml: rule_files: not supported, ignored',
    ]);
  });

  it('keeps the jobs --job picks, and warns only about those', () => {
    const c = parseScrapeConfig(FULL, 'prometheus.yml', ['api']);
    expect(c.jobs.map((j) => j.name)).toEqual(['api']);
    expect(c.warnings.filter((w) => w.includes('job "node"'))).toEqual([]);
    expect(() => parseScrapeConfig(FULL, 'prometheus.yml', ['db'])).toThrow('--job db: prometheus.yml has no such job (jobs: node, api, legacy)');
  });

  it.each([
    ['scrape_configs: [{ job_name: a, static_configs: [{ targets: a:1 }] }]', 'scrape_configs[0].static_configs[0].targets: expected a list of strings'],
    ['scrape_configs:\n  - job_name: a\n  - job_name: b\n    static_configs: [{ targets: [x:1] }, { targets: [1] }]', 'scrape_configs[1].static_configs[1].targets: expected a list of strings'],
    ['scrape_configs: [{ job_name: a, scheme: ftp }]', 'scrape_configs[0].scheme: expected http or https'],
    ['scrape_configs: [{ job_name: a, scrape_interval: 5s, scrape_timeout: 10s }]', 'scrape_configs[0].scrape_timeout: longer than the job\'s scrape_interval'],
    ['scrape_configs: [{ job_name: a, scrape_interval: often }]', 'scrape_configs[0].scrape_interval: expected a duration such as 15s or 1m'],
    ['scrape_configs: [{ job_name: a, metrics_path: metrics }]', 'scrape_configs[0].metrics_path: expected a path starting with /'],
    ['scrape_configs: [{ static_configs: [] }]', 'scrape_configs[0].job_name: expected the job\'s name'],
    ['scrape_configs: [{ job_name: a }, { job_name: a }]', 'scrape_configs[1].job_name: "a" is already the name of another job'],
    ['scrape_configs: { job_name: a }', 'scrape_configs: expected a list'],
    ['scrape_configs: [ 7 ]', 'scrape_configs[0]: expected a mapping'],
    ['global: { scrape_interval: fast }', 'global.scrape_interval: expected a duration such as 15s or 1m'],
    ['scrape_configs: [{ job_name: a, honor_labels: yes please }]', 'scrape_configs[0].honor_labels: expected true or false'],
    ['scrape_configs: [{ job_name: a, params: { module: http } }]', 'scrape_configs[0].params.module: expected a list of strings'],
    ['scrape_configs: [{ job_name: a, static_configs: [{ targets: [], labels: { env: 1 } }] }]', 'scrape_configs[0].static_configs[0].labels.env: expected a string'],
    ['scrape_configs: [{ job_name: a, static_configs: [{ labels: { bad-name: x } }] }]', 'scrape_configs[0].static_configs[0].labels.bad-name: not a valid label name'],
    ['scrape_configs: [{ job_name: a, basic_auth: { username: u, password: p, password_file: f } }]', 'scrape_configs[0].basic_auth.password_file: password and password_file cannot both be set'],
    ['scrape_configs: [{ job_name: a, basic_auth: { username: u }, bearer_token: t }]', 'scrape_configs[0]: at most one of basic_auth, authorization and bearer_token may be configured'],
    ['scrape_configs: [{ job_name: a, bearer_token: t, bearer_token_file: f }]', 'scrape_configs[0].bearer_token_file: bearer_token and bearer_token_file cannot both be set'],
    ['scrape_configs: [{ job_name: a, tls_config: { cert_file: c } }]', 'scrape_configs[0].tls_config.cert_file: cert_file and key_file go together'],
    ['scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [x], type: A }] }]', 'scrape_configs[0].dns_sd_configs[0].port: expected a port: A records have none'],
    ['scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [x], type: TXT }] }]', 'scrape_configs[0].dns_sd_configs[0].type: expected SRV, A or AAAA'],
    ['scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [x], type: A, port: 70000 }] }]', 'scrape_configs[0].dns_sd_configs[0].port: expected a port from 1 to 65535'],
    ['scrape_configs: [{ job_name: a, file_sd_configs: [{ files: [targets.txt] }] }]', 'scrape_configs[0].file_sd_configs[0].files[0]: expected a .json, .yml or .yaml file, with * only in the last path element'],
    ['scrape_configs: [{ job_name: a, file_sd_configs: [{}] }]', 'scrape_configs[0].file_sd_configs[0].files: expected a list of at least one file or pattern'],
  ])('%s: %s', (text, message) => {
    expect(() => parseScrapeConfig(text, 'p.yml')).toThrow(new ConfigError(`p.yml: ${message}`));
  });

  it('says where YAML is broken in one line, without echoing the text', () => {
    const text = 'scrape_configs:\n  - job_name: a\n    basic_auth: { password: s3cret\n  bad: [';
    let message = '';
    try {
      parseScrapeConfig(text, 'p.yml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^p\.yml: invalid YAML at line \d+, column \d+: /);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('s3cret');
  });

  it('never puts a secret in a type error', () => {
    expect(() => parseScrapeConfig('scrape_configs: [{ job_name: a, basic_auth: { password: [hunter2] } }]', 'p.yml')).toThrow(
      new ConfigError('p.yml: scrape_configs[0].basic_auth.password: expected a string'),
    );
  });

  it('takes an empty file as no jobs', () => {
    expect(parseScrapeConfig('', 'p.yml')).toEqual({ jobs: [], warnings: [] });
  });
});
