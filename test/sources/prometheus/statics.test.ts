import { describe, expect, it } from 'vitest';
import { STATIC_EVERY_MS, StaticFigures } from '../../../src/sources/prometheus/statics.js';

const node = { job: 'node', instance: 'a:9100' };
const answer = (name: string) => [{ labels: { ...node, __name__: name }, value: 1 }];
const whole = { cores: answer('cores'), uname: answer('node_uname_info'), staticGauges: answer('node_memory_MemTotal_bytes'), filesystemSize: answer('node_filesystem_size_bytes') };

describe('static figures', () => {
  it('are asked first, then once a minute, or every sixth refresh of long intervals', () => {
    const s = new StaticFigures();
    expect(s.wanted(0, 2000)).toBe(true);
    s.keep(whole, [], 0);
    expect(s.wanted(STATIC_EVERY_MS - 1, 2000)).toBe(false);
    expect(s.wanted(STATIC_EVERY_MS, 2000)).toBe(true);
    // Refreshes a minute apart: not every refresh, every sixth.
    expect(s.wanted(5 * 60_000, 60_000)).toBe(false);
    expect(s.wanted(6 * 60_000, 60_000)).toBe(true);
    s.askSoon();
    expect(s.wanted(1, 2000)).toBe(true);
  });

  it('keep the last answer of a query that failed, and ask again for it or for an incomplete one', () => {
    const s = new StaticFigures();
    s.keep(whole, [], 0);
    expect(s.index.fleetCores).toBe(1);
    const { cores: _cores, ...withoutCores } = whole;
    s.keep(withoutCores, [], 1000);
    expect(s.index.fleetCores).toBe(1);
    expect(s.wanted(2000, 2000)).toBe(true);
    s.keep(whole, [['uname', 'partial response']], 2000);
    expect(s.inUseWarnings).toEqual(['partial response']);
    expect(s.wanted(3000, 2000)).toBe(true);
    s.keep(whole, [], 3000);
    expect(s.inUseWarnings).toEqual([]);
    expect(s.wanted(4000, 2000)).toBe(false);
    expect(s.uname?.[0]?.labels.__name__).toBe('node_uname_info');
  });
});
