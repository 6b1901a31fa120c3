import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, cliOptions, UsageError, type CliOptions, type SourceKind } from '../../src/cli/options.js';

function parse(args: string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  program.parse(args, { from: 'user' });
  return cliOptions(program, env);
}

/** The error a command line gives: commander's (a conflict it knows) or ours (a usage error), as one line. */
function refusal(args: string[]): { by: 'commander' | 'usage'; message: string } {
  try {
    parse(args);
  } catch (error) {
    if (error instanceof CommanderError) return { by: 'commander', message: error.message.replace(/^error: /, '') };
    if (error instanceof UsageError) return { by: 'usage', message: error.message };
    throw error;
  }
  throw new Error(`${args.join(' ')} was accepted`);
}

describe('toCliOptions', () => {
  it('asks for the mouse unless --no-mouse, and colors unless --no-color or NO_COLOR', () => {
    expect(parse(['node1'])).toMatchObject({ mouse: true, color: true });
    expect(parse(['--no-mouse', 'node1'])).toMatchObject({ mouse: false, color: true });
    expect(parse(['--no-color', 'node1'])).toMatchObject({ mouse: true, color: false });
    expect(parse(['node1'], { NO_COLOR: '1' })).toMatchObject({ color: false });
  });
});

describe('the source the flags pick', () => {
  const scrape = { intervalMs: 2000, timeoutMs: undefined, concurrency: undefined, maxBodyBytes: 16 * 1024 ** 2, insecure: false, caFile: undefined, bearerTokenFile: undefined };

  it('no flags: this machine, at the interval', () => {
    expect(parse([]).source).toEqual({ kind: 'local', intervalMs: 2000 });
    expect(parse(['-i', '5s']).source).toEqual({ kind: 'local', intervalMs: 5000 });
  });

  it('targets or --targets-file: the node list, with how to connect', () => {
    expect(parse(['node1', 'node2:9101']).source).toEqual({ kind: 'node-list', ...scrape, targets: ['node1', 'node2:9101'], targetsFile: undefined });
    expect(parse(['-f', 'fleet.txt', '--insecure', '--ca-file', 'ca.pem', '--bearer-token-file', 't', '--concurrency', '8', '--timeout', '1s']).source).toEqual({
      kind: 'node-list', ...scrape, targets: [], targetsFile: 'fleet.txt', insecure: true, caFile: 'ca.pem', bearerTokenFile: 't', concurrency: 8, timeoutMs: 1000,
    });
  });

  it('--scrape-config, --dns or --dns-srv: discovery, the targets given are its static ones', () => {
    expect(parse(['--scrape-config', 'p.yml', '--job', 'a', '--job', 'b', 'node1']).source).toEqual({
      kind: 'discovery', ...scrape, targets: ['node1'], targetsFile: undefined, scrapeConfig: 'p.yml', jobs: ['a', 'b'], dns: [], dnsRefreshMs: undefined, dnsServer: undefined, intervalGiven: false,
    });
    expect(parse(['--dns', 'web:9101', '--dns-srv', '_n._tcp.x', '--dns-refresh', '5s', '--dns-server', '127.0.0.1:5353', '-i', '1s']).source).toMatchObject({
      kind: 'discovery', dns: [{ name: 'web', type: 'A/AAAA', port: 9101 }, { name: '_n._tcp.x', type: 'SRV' }], dnsRefreshMs: 5000, dnsServer: '127.0.0.1:5353', intervalGiven: true, intervalMs: 1000,
    });
  });

  it('--demo: the simulated cluster, 24 nodes and seed 1 unless told', () => {
    expect(parse(['--demo']).source).toEqual({ kind: 'demo', ...scrape, nodes: 24, seed: 1 });
    expect(parse(['--demo', '5', '--seed', '3']).source).toMatchObject({ kind: 'demo', nodes: 5, seed: 3 });
  });

  it('--prometheus: the server, its selector, basic auth and headers', () => {
    const options = parse(['--prometheus', 'http://p:9090/', '--selector', 'job="node"', '--prometheus-user', 'ops', '--prometheus-password-file', 'pw', '-H', 'X-Scope-OrgID: t1', '--insecure']);
    expect(options.source).toEqual({
      kind: 'prometheus', url: 'http://p:9090/', selector: 'job="node"', basicAuth: { user: 'ops', passwordFile: 'pw' }, headers: [['X-Scope-OrgID', 't1']], denyPartial: false,
      intervalMs: 2000, timeoutMs: undefined, maxBodyBytes: scrape.maxBodyBytes, insecure: true, caFile: undefined, bearerTokenFile: undefined,
    });
    expect(parse(['--prometheus', 'http://p:9090', '--bearer-token-file', 't']).source).toMatchObject({ basicAuth: undefined, bearerTokenFile: 't', headers: [] });
    expect(parse(['--prometheus', 'http://p:9090', '--no-partial-response']).source).toMatchObject({ denyPartial: true });
  });

  it('--kubeconfig: the cluster, 16 requests in flight unless --concurrency says', () => {
    expect(parse(['--kubeconfig']).source).toEqual({ kind: 'kube', kubeconfig: true, context: undefined, nodeExporterPort: undefined, intervalMs: 2000, timeoutMs: undefined, concurrency: 16, maxBodyBytes: scrape.maxBodyBytes });
    expect(parse(['--kubeconfig', 'k.yaml', '--context', 'prod', '--node-exporter-port', '9100', '--concurrency', '4']).source).toMatchObject({ kubeconfig: 'k.yaml', context: 'prod', nodeExporterPort: 9100, concurrency: 4 });
    expect(parse(['--kubeconfig', '--process-port', '9256']).source).toMatchObject({ kind: 'kube', processPort: 9256 });
    // The default stays where --kubeconfig is not given.
    expect(parse(['--concurrency', '64', 'node1']).source).toMatchObject({ concurrency: 64 });
  });

  it('--replay: the recording, speed 1 unless told; never recorded', () => {
    const options = parse(['--replay', 'x.rec', '--speed', '10', '--at', '+5m']);
    expect(options.source).toEqual({ kind: 'replay', path: 'x.rec', speed: 10, at: { text: '+5m', kind: 'offset', ms: 300_000 } });
    expect(options.record).toBeUndefined();
    expect(parse(['--replay', 'x.rec']).source).toMatchObject({ speed: 1, at: undefined });
  });

  it('--record wraps any live source', () => {
    expect(parse(['--record', 'r.rec', 'node1'])).toMatchObject({ source: { kind: 'node-list' }, record: { path: 'r.rec', maxBytes: 100 * 1024 ** 2 } });
    expect(parse(['--record', 'r.rec', '--record-max-size', '1MiB', '--demo'])).toMatchObject({ source: { kind: 'demo' }, record: { path: 'r.rec', maxBytes: 1024 ** 2 } });
    expect(parse(['--record', 'r.rec', '--demo']).record?.without).toEqual(new Set());
    expect(parse(['--record', 'r.rec', '--record-without', 'Processes, containers,processes', '--demo']).record?.without).toEqual(new Set(['processes', 'containers']));
    expect(parse(['--record', 'r.rec'])).toMatchObject({ source: { kind: 'local' }, record: { path: 'r.rec' } });
    expect(parse(['node1']).record).toBeUndefined();
  });
});

describe('flags that do not go together', () => {
  /** One flag of each source kind that is picked by a flag, with its argument. */
  const pickers: Record<Exclude<SourceKind, 'node-list' | 'local'>, string[][]> = {
    demo: [['--demo']],
    replay: [['--replay', 'x.rec']],
    prometheus: [['--prometheus', 'http://p:9090']],
    kube: [['--kubeconfig', 'k.yaml']],
    discovery: [['--scrape-config', 'p.yml'], ['--dns', 'web'], ['--dns-srv', '_n._tcp.x']],
  };
  const pairs = Object.entries(pickers).flatMap(([kind, flags], i) =>
    Object.entries(pickers).slice(i + 1).flatMap(([other, otherFlags]) => flags.flatMap((a) => otherFlags.map((b) => [`${kind} and ${other}`, a, b] as const))),
  );

  it.each(pairs)('%s: commander names both flags', (_kinds, a, b) => {
    for (const args of [[...a, ...b], [...b, ...a]]) {
      const { by, message } = refusal(args);
      expect(by).toBe('commander');
      expect(message).toMatch(new RegExp(`^option '${a[0]}[^']*' cannot be used with option '${b[0]}[^']*'$|^option '${b[0]}[^']*' cannot be used with option '${a[0]}[^']*'$`));
    }
  });

  it('discovery flags go together', () => {
    expect(parse(['--scrape-config', 'p.yml', '--dns', 'web', '--dns-srv', '_n._tcp.x']).source.kind).toBe('discovery');
  });

  it.each([
    [['--replay', 'x.rec', '--record', 'y.rec'], "option '--replay <file>' cannot be used with option '--record <file>'"],
    [['--prometheus', 'http://p:9090', '--process-port', '9256'], "option '--process-port <port>' cannot be used with option '--prometheus <url>'"],
    [['--prometheus', 'http://p:9090', '--prometheus-user', 'u', '--prometheus-password-file', 'p', '--bearer-token-file', 't'], "option '--prometheus-user <name>' cannot be used with option '--bearer-token-file <path>'"],
  ])('%j: commander refuses', (args, message) => {
    expect(refusal(args)).toEqual({ by: 'commander', message });
  });

  it.each([
    [['--seed', '3'], '--seed needs --demo'],
    [['--speed', '2'], '--speed needs --replay'],
    [['--at', '+1m'], '--at needs --replay'],
    [['--record-max-size', '1MiB'], '--record-max-size needs --record'],
    [['--context', 'x'], '--context goes with --kubeconfig'],
    [['--node-exporter-port', '9100'], '--node-exporter-port goes with --kubeconfig'],
    [['--process-port', '9256'], '--process-port goes with --kubeconfig'],
    [['--selector', 'job="x"'], '--selector goes with --prometheus <url>'],
    [['-H', 'A: b'], '--header goes with --prometheus <url>'],
    [['--job', 'a'], '--job picks jobs of --scrape-config <file>'],
    [['--dns-refresh', '5s'], '--dns-refresh goes with --dns or --dns-srv'],
    [['--dns-server', '127.0.0.1'], '--dns-server goes with --dns, --dns-srv or --scrape-config'],
    [['node1', '--demo'], '--demo watches simulated nodes: it takes no targets or --targets-file'],
    [['--replay', 'x.rec', '-f', 'fleet.txt'], '--replay plays a recording: it takes no targets or --targets-file'],
    [['--prometheus', 'http://p:9090', 'node1'], '--prometheus reads every node from Prometheus: give no targets or --targets-file with it'],
    [['--kubeconfig', 'k.yaml', 'node1'], '--kubeconfig finds the nodes itself: give no targets or --targets-file with it'],
    [['--kubeconfig', '--ca-file', 'ca.pem'], '--insecure, --ca-file and --bearer-token-file are for targets: with --kubeconfig, the kubeconfig says how to connect (insecure-skip-tls-verify, certificate-authority, tokenFile)'],
    [['--prometheus', 'http://p:9090', '--prometheus-password-file', 'p'], '--prometheus-user and --prometheus-password-file go together'],
    [['--history', '1s', '-i', '2s'], '--history (1000ms) must be at least --interval (2000ms): it keeps that many refreshes'],
  ])('%j: a usage error naming the flag', (args, message) => {
    expect(refusal(args)).toEqual({ by: 'usage', message });
  });
});

describe('--cadvisor-port', () => {
  it('goes with the sources that scrape hosts, and not with those that find their own nodes', () => {
    expect(parse(['node1', '--cadvisor-port', '8080']).source).toMatchObject({ kind: 'node-list', cadvisorPort: 8080 });
    expect(parse(['--dns', 'web', '--cadvisor-port', '8080']).source).toMatchObject({ kind: 'discovery', cadvisorPort: 8080 });
    expect(refusal(['--kubeconfig', '--cadvisor-port', '8080'])).toEqual({ by: 'commander', message: "option '--cadvisor-port <port>' cannot be used with option '--kubeconfig [path]'" });
    expect(refusal(['--demo', '--cadvisor-port', '8080']).message).toMatch(/^option '--(cadvisor-port <port>|demo \[nodes\])' cannot be used with option '--(demo \[nodes\]|cadvisor-port <port>)'$/);
    expect(refusal(['node1', '--cadvisor-port', '0'])).toEqual({ by: 'commander', message: "option '--cadvisor-port <port>' argument '0' is invalid. --cadvisor-port takes a port from 1 to 65535, such as 8080, not \"0\"" });
  });
});
