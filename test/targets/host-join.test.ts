import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/targets/parse-target.js';
import { companionByPort, hostKey, HostJoin, withCompanionTargets } from '../../src/targets/host-join.js';

const ids = (texts: string[]) => texts.map((t) => parseTarget(t));

describe('HostJoin', () => {
  it('puts a cAdvisor and a process-exporter on their usual ports under the node of the same host', () => {
    const join = new HostJoin();
    const [node, cadvisor, procs, other] = ids(['web1:9100', 'web1:8080', 'WEB1:9256', 'web2:8080']);
    join.setTargets([node!, cadvisor!, procs!, other!]);
    expect(join.nodeFor(cadvisor!.id)).toBe(node!.id);
    expect(join.kindOf(cadvisor!.id)).toBe('cadvisor');
    expect(join.nodeFor(procs!.id)).toBe(node!.id);
    expect(join.kindOf(procs!.id)).toBe('process-exporter');
    // A node's own target joins nothing; a cAdvisor alone on its host is a row of its own.
    expect(join.nodeFor(node!.id)).toBeUndefined();
    expect(join.nodeFor(other!.id)).toBeUndefined();
  });

  it('joins a target on any port once its payload shows it is a companion, and only once', () => {
    const join = new HostJoin();
    const [node, cadvisor] = ids(['10.0.0.5:9105', 'http://10.0.0.5:18080/metrics']);
    join.setTargets([node!, cadvisor!]);
    expect(join.nodeFor(cadvisor!.id)).toBeUndefined();
    expect(join.markCompanion(cadvisor!.id, 'cadvisor')).toBe(true);
    expect(join.markCompanion(cadvisor!.id, 'cadvisor')).toBe(false);
    expect(join.nodeFor(cadvisor!.id)).toBe(node!.id);
    // Still known after the list is set again, and forgotten once the target goes.
    join.setTargets([node!, cadvisor!]);
    expect(join.nodeFor(cadvisor!.id)).toBe(node!.id);
    join.setTargets([node!]);
    join.setTargets([node!, cadvisor!]);
    expect(join.nodeFor(cadvisor!.id)).toBeUndefined();
  });

  it('does not take a port for a companion when the path is not /metrics', () => {
    const [t] = ids(['http://h:8080/federate']);
    expect(companionByPort(t!)).toBeUndefined();
    expect(hostKey(parseTarget('[::1]:8080'))).toBe('::1');
  });
});

describe('HostJoin.markNode', () => {
  it('gives a row back to a target on :8080 that is no cAdvisor', () => {
    const join = new HostJoin();
    const [node, app] = ids(['h:9100', 'h:8080']);
    join.setTargets([node!, app!]);
    expect(join.markNode(app!.id)).toBe(true);
    expect(join.nodeFor(app!.id)).toBeUndefined();
    expect(join.kindOf(app!.id)).toBeUndefined();
  });
});

describe('withCompanionTargets', () => {
  const make = (url: string) => parseTarget(url);

  it('adds one target per host on the port, declared; a host with a target on that port keeps it', () => {
    const given = ids(['https://gpu1:9100/metrics', 'gpu1:9200', 'http://[::1]:9100/metrics', 'gpu2:9100', 'gpu2:9400']);
    const cadvisor = withCompanionTargets(given, 8080, 'cadvisor', make);
    expect(cadvisor.targets.slice(given.length).map((t) => t.id)).toEqual(['http://gpu1:8080/metrics', 'http://[::1]:8080/metrics', 'http://gpu2:8080/metrics']);
    // --gpu-port: in the scheme of the host's first target (a GPU exporter behind the same TLS).
    const gpu = withCompanionTargets(given, 9400, 'gpu', make, 'same');
    expect(gpu.targets.slice(given.length).map((t) => t.id)).toEqual(['https://gpu1:9400/metrics', 'http://[::1]:9400/metrics']);
    expect([...gpu.declared]).toEqual([
      ['https://gpu1:9400/metrics', 'gpu'],
      ['http://[::1]:9400/metrics', 'gpu'],
    ]);
  });
});
