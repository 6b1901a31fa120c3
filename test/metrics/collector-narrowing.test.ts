import { describe, expect, it } from 'vitest';
import { CollectorNarrowing } from '../../src/metrics/collector-narrowing.js';
import type { Sample } from '../../src/exposition/types.js';

const sample = (name: string, labels: Record<string, string> = {}): Sample => ({ name, labels, value: 1, timestampMs: undefined });
const success = (...collectors: string[]): Sample[] => collectors.map((collector) => sample('node_scrape_collector_success', { collector }));
const NODE = [sample('node_cpu_seconds_total', { cpu: '0', mode: 'idle' }), sample('node_load1'), sample('node_uname_info', { nodename: 'n1' })];
const FULL = [...NODE, ...success('arp', 'cpu', 'loadavg', 'uname', 'hwmon', 'netstat')];
const NARROWED_PATH = '/metrics?collect%5B%5D=cpu&collect%5B%5D=loadavg&collect%5B%5D=uname';

describe('CollectorNarrowing', () => {
  it('asks for the node view collectors the exporter has, once the first full payload listed them', () => {
    const n = new CollectorNarrowing('/metrics');
    expect(n.learning).toBe(true);
    expect(n.requestPath).toBeUndefined();
    expect(n.observe(FULL, undefined)).toBe(true);
    expect(n.learning).toBe(false);
    expect(n.requestPath).toBe(NARROWED_PATH);
  });

  it('keeps narrowing when the first narrowed payload has every family of the full one', () => {
    const n = new CollectorNarrowing('/metrics');
    n.observe(FULL, undefined);
    // A full payload of a scrape that began before the switch changes nothing.
    expect(n.observe(FULL, undefined)).toBe(true);
    expect(n.observe(NODE, NARROWED_PATH)).toBe(true);
    expect(n.requestPath).toBe(NARROWED_PATH);
    // Checked once: later payloads are used as they come.
    expect(n.observe(NODE.slice(1), NARROWED_PATH)).toBe(true);
    expect(n.requestPath).toBe(NARROWED_PATH);
  });

  it('stops for good when the first narrowed payload lacks a family, and that payload is not used', () => {
    const n = new CollectorNarrowing('/metrics');
    n.observe(FULL, undefined);
    expect(n.observe(NODE.filter((s) => s.name !== 'node_uname_info'), NARROWED_PATH)).toBe(false);
    expect(n.requestPath).toBeUndefined();
    n.observe(FULL, undefined);
    expect(n.requestPath).toBeUndefined();
  });

  it('stops for good when a narrowed request is refused', () => {
    const n = new CollectorNarrowing('/metrics');
    n.observe(FULL, undefined);
    n.refused();
    expect(n.requestPath).toBeUndefined();
    n.observe(FULL, undefined);
    expect(n.requestPath).toBeUndefined();
    expect(n.learning).toBe(false);
  });

  it('does not narrow a payload without the collector list (no node_exporter), or when every collector is wanted', () => {
    const app = new CollectorNarrowing('/metrics');
    app.observe([sample('http_requests_total')], undefined);
    expect(app.requestPath).toBeUndefined();
    expect(app.learning).toBe(false);
    const minimal = new CollectorNarrowing('/metrics');
    minimal.observe([...NODE, ...success('cpu', 'loadavg', 'uname')], undefined);
    expect(minimal.requestPath).toBeUndefined();
  });

  it('keeps the target path and asks for boottime where the exporter has it (BSD, macOS)', () => {
    const n = new CollectorNarrowing('/node/metrics');
    n.observe([...NODE, ...success('boottime', 'cpu', 'loadavg', 'uname', 'netstat')], undefined);
    expect(n.requestPath).toBe('/node/metrics?collect%5B%5D=cpu&collect%5B%5D=loadavg&collect%5B%5D=boottime&collect%5B%5D=uname');
  });
});
