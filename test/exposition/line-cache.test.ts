import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, hashOf, LineCache, type ReadChunk } from '../../src/exposition/line-cache.js';
import { parseExposition, type ParseOptions } from '../../src/exposition/parser.js';
import { ExpositionError } from '../../src/exposition/types.js';
import { NODE_EXPORTER_FAMILIES } from '../../src/metrics/node-exporter.js';
import { makeClusterSpecs } from '../../src/simulator/sim-cluster.js';
import { SimNode } from '../../src/simulator/sim-node.js';
import { random } from '../random.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');

/** Everything a parse gives, or its error, as plain data: what the cache must never change. */
function outcome(text: string, options: ParseOptions): unknown {
  try {
    const r = parseExposition(text, options);
    return {
      format: r.format,
      samples: r.samples.map((s) => [s.name, { ...s.labels }, s.value, s.timestampMs]),
      types: [...r.types],
      sampleLines: r.sampleLines,
    };
  } catch (e) {
    if (!(e instanceof ExpositionError)) throw e;
    return { error: e.message };
  }
}

/** Parses with the cache and without, and expects the same outcome. */
function expectSame(text: string, cache: LineCache, options: ParseOptions = {}): void {
  expect(outcome(text, { ...options, cache })).toEqual(outcome(text, options));
}

/** Every sample value replaced, as the next scrape of the same node would write it. */
function nextScrape(text: string, step: number): string {
  return text.replace(/^([^#\n].*?) (\S+)$/gm, (_, series: string, value: string) =>
    `${series} ${Number.isFinite(Number(value)) ? String(Number(value) * (1 + step) + step) : value}`,
  );
}

/** A node_exporter payload of a node with `cores` CPUs, from the real one's lines. */
function withCores(text: string, cores: number): string {
  return text.replace(/^node_cpu_seconds_total\{cpu="0",(.*)$/gm, (line: string, rest: string) =>
    Array.from({ length: cores }, (_, cpu) => (cpu === 0 ? line : `node_cpu_seconds_total{cpu="${cpu}",${rest}`)).join('\n'),
  );
}

describe('LineCache', () => {
  it('reads repeated scrapes of a real payload as the parser does without it, and learns each sample line once', () => {
    const text = fixture('node-exporter.prom');
    const cache = new LineCache();
    for (let step = 0; step < 4; step++) expectSame(nextScrape(text, step), cache);
    const sampleLines = parseExposition(text).sampleLines;
    expect(cache.size).toBe(sampleLines);
  });

  it('shares the label objects between scrapes, frozen', () => {
    const cache = new LineCache();
    const a = parseExposition('# TYPE m gauge\nm{x="1"} 1\nm{x="2"} 2\n', { cache });
    expect(cache.size).toBe(0);
    parseExposition('# TYPE m gauge\nm{x="1"} 3\nm{x="2"} 4\n', { cache });
    expect(cache.size).toBe(2);
    const b = parseExposition('# TYPE m gauge\nm{x="1"} 5\nm{x="2"} 6\n', { cache });
    expect(b.samples.map((s) => s.value)).toEqual([5, 6]);
    expect(b.samples[0]?.labels).toBe(parseExposition('# TYPE m gauge\nm{x="1"} 7\n', { cache }).samples[0]?.labels);
    expect(a.samples[0]?.labels).toEqual(b.samples[0]?.labels);
    expect(Object.isFrozen(b.samples[1]?.labels)).toBe(true);
  });

  it('keeps a label named __proto__ as a label', () => {
    const cache = new LineCache();
    parseExposition('m{__proto__="x"} 1\n', { cache });
    parseExposition('m{__proto__="x"} 1\n', { cache });
    const labels = parseExposition('m{__proto__="x"} 2\n', { cache }).samples[0]?.labels;
    expect(Object.keys(labels ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('follows payloads that differ between nodes: more cores, another device, other values', () => {
    const text = fixture('node-exporter.prom');
    const cache = new LineCache();
    const nodes = [2, 8, 64, 8, 2].map((cores, i) => nextScrape(withCores(text, cores), i).replaceAll('eth0', `eth${i % 2}`));
    for (const node of [...nodes, ...nodes]) expectSame(node, cache);
  });

  it('gives the same errors, at the same line and column, in a payload whose other lines are cached', () => {
    const text = fixture('node-exporter.prom');
    const cache = new LineCache();
    parseExposition(text, { cache });
    const lines = text.split('\n');
    const sampleLine = lines.findIndex((l) => l.startsWith('node_load1 '));
    const broken = [...lines];
    broken[sampleLine] = 'node_load1 1.5x';
    expect(outcome(broken.join('\n'), { cache })).toEqual({ error: `line ${sampleLine + 1}, column 12: expected a number, got "1.5x"` });
    expectSame(broken.join('\n'), cache);
    broken[sampleLine] = 'node_load1 1 2 3';
    expectSame(broken.join('\n'), cache);
    expectSame(text.slice(0, text.indexOf('node_load1 ') + 'node_load1 '.length), cache);
    expectSame(text.slice(0, text.indexOf('node_load1 ') + 'node_load1'.length), cache);
  });

  it('reads CR LF payloads, blank lines and blanks before names as the parser does, without caching what a text comparison cannot vouch for', () => {
    const cache = new LineCache();
    const text = '# HELP a x\n# TYPE a gauge\n\na{x="1"} 1\n  a{x="2"} 2\r\n# TYPE b counter\r\nb_total 3\r\nb_total 4\n';
    for (let i = 0; i < 3; i++) expectSame(nextScrape(text, i), cache);
    expectSame(text.replaceAll('\n', '\r\n'), cache);
  });

  it('decides what a filter keeps per filter, for samples and TYPEs alike', () => {
    const text = fixture('node-exporter.prom');
    const cache = new LineCache();
    const small = new Set(['node_load1']);
    for (const families of [undefined, NODE_EXPORTER_FAMILIES, small, undefined, small, NODE_EXPORTER_FAMILIES]) {
      expectSame(text, cache, { families });
    }
    expectSame('a 1\na{x="1"} 2\n', cache, { families: small });
    expectSame('a 1\na{x="1"} 2\n', cache);
    expectSame('a 1\na{x="1"} 2\n', cache, { families: new Set(['a']) });
  });

  it('learns the lines a filter skips by their names alone, so they are skipped as fast as the kept ones are read', () => {
    const text = fixture('node-exporter.prom');
    const cache = new LineCache();
    expectSame(text, cache, { families: NODE_EXPORTER_FAMILIES });
    expectSame(nextScrape(text, 1), cache, { families: NODE_EXPORTER_FAMILIES });
    expect(cache.size).toBe(parseExposition(text).sampleLines);
    expectSame(nextScrape(text, 2), cache, { families: NODE_EXPORTER_FAMILIES });
    expect(cache.size).toBe(parseExposition(text).sampleLines);
    // A skipped line's labels were never read: a line that repeats only its name skips the same way.
    const skipped = 'go_info{version="go1.19.8"} 1\n';
    const keepNode = { families: new Set(['node_load1']) };
    expectSame(skipped, cache, keepNode);
    expectSame('go_info{version="go1.19.8",bad=} 1\n', cache, keepNode);
    expectSame('go_info{version="go1.19.8"} x\n', cache, keepNode);
    expectSame('go_info{version="go1.19.8"}\n', cache, keepNode);
    expectSame('go_info{version="go1.19.8",bad=} 1\n', cache);
  });

  it('does not take an OpenMetrics TYPE for a Prometheus one, or the other way round', () => {
    const cache = new LineCache();
    const info = '# TYPE build info\nbuild_info{v="1"} 1\n';
    expect(outcome(`${info}# EOF\n`, { cache, format: 'openmetrics' })).toMatchObject({ types: [['build', 'info']] });
    expect(outcome(info, { cache })).toEqual({ error: 'line 1, column 14: invalid metric type "info"' });
    const untyped = '# TYPE u untyped\nu 1\n';
    expectSame(untyped, cache);
    expectSame(`${untyped}# EOF\n`, cache, { format: 'openmetrics' });
    expectSame(`${info}# EOF\n`, cache, { format: 'openmetrics' });
  });

  it('does not take lines read as Prometheus text for OpenMetrics, which refuses more', () => {
    const cache = new LineCache();
    // Each is fine in Prometheus text and an error in OpenMetrics, in the chunk the cache would hold.
    for (const lines of ['# a comment\na 1\nb 1\n', 'a 1\n\nb 1\n', 'a 1\nb{x="1", y="2"} 1\n', 'a 1\nb{x="1",} 1\n', 'a 1\n# TYPE b  gauge\nb 1\n']) {
      for (let i = 0; i < 3; i++) expectSame(lines, cache);
      expect(outcome(`${lines}# EOF\n`, { cache, format: 'openmetrics' })).toEqual(outcome(`${lines}# EOF\n`, { format: 'openmetrics' }));
      expect(outcome(`${lines}# EOF\n`, { format: 'openmetrics' })).toHaveProperty('error');
    }
  });

  it('reads exemplars and timestamps after a cached series', () => {
    const cache = new LineCache();
    const text = '# TYPE c counter\nc_total{a="1"} 1 1700000000.5 # {trace="x"} 1 1700000000\nc_total{a="2"} 2\n# EOF\n';
    for (let i = 0; i < 3; i++) expectSame(text.replace('} 1 ', `} ${i} `), cache, { format: 'openmetrics' });
    const prom = 'm{a="1"} 1 1700000000000\nm{a="1"} 2 1700000001000\n';
    for (let i = 0; i < 3; i++) expectSame(prom, cache);
  });

  it('keeps the lines nodes share, and the lines of one node only while there are few nodes', () => {
    const node = (i: number, scrape: number) =>
      `# TYPE up gauge\nup 1\n# TYPE veth_bytes counter\nveth_bytes{device="veth${i}"} ${scrape}\nload ${scrape}\n`;
    const few = new LineCache();
    for (let scrape = 0; scrape < 3; scrape++) for (let i = 0; i < 3; i++) expectSame(node(i, scrape), few);
    expect(few.size).toBe(2 + 3);
    // Between two scrapes of a node, 40,000 other nodes' own lines pass: hardly any is kept (0.1 %).
    const many = new LineCache();
    for (let scrape = 0; scrape < 3; scrape++) for (let i = 0; i < 40_000; i++) parseExposition(node(i, scrape), { cache: many });
    expect(many.size).toBeGreaterThanOrEqual(2);
    expect(many.size).toBeLessThan(2 + 40);
    for (let i = 0; i < 3; i++) expectSame(node(i, 9), many);
  });

  it('starts over past its bound, and still reads right', () => {
    const cache = new LineCache(50);
    const text = fixture('node-exporter.prom');
    for (let i = 0; i < 3; i++) expectSame(nextScrape(text, i), cache);
    expect(cache.size).toBeLessThanOrEqual(50);
  });

  it('never changes what a mutated payload gives, error or not', () => {
    const base = fixture('node-exporter.prom').slice(0, 6000);
    const cache = new LineCache();
    parseExposition(base.slice(0, base.lastIndexOf('\n') + 1), { cache });
    const next = random(5);
    const pieces = ['{', '}', '"', '\\', ',', '=', ' ', '\n', '#', 'x', '1', '.', 'e', '\t', '\r', 'é', '# TYPE a gauge\n'];
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(next() * base.length);
      const piece = pieces[Math.floor(next() * pieces.length)] ?? '';
      const text = base.slice(0, at) + piece + base.slice(at + (next() < 0.5 ? 1 : 0));
      expectSame(text, cache, i % 2 === 0 ? {} : { families: NODE_EXPORTER_FAMILIES });
      // Learnt from the mutated payload too: the next one must not be read through a wrong chunk.
      expectSame(base, cache, i % 3 === 0 ? {} : { families: NODE_EXPORTER_FAMILIES });
    }
  });

  it('ages out what is not used again, within a small bound, and still reads right', () => {
    const text = fixture('node-exporter.prom');
    const cache = new LineCache(100_000, 64 * 1024);
    for (let i = 0; i < 12; i++) {
      expectSame(nextScrape(withCores(text, 2 + (i % 3) * 30), i).replaceAll('eth0', `eth${i % 4}`), cache, i % 2 === 0 ? {} : { families: NODE_EXPORTER_FAMILIES });
      expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
    }
  });

  it('stays within its bytes when one target serves 4,000 distinct 3.9 KB lines, each twice before they change', () => {
    const cache = new LineCache();
    const pad = 'x'.repeat(3880);
    for (let round = 0; round < 2; round++) {
      const text = Array.from({ length: 4000 }, (_, i) => `flood{id="${round}-${i}",pad="${pad}"} 1\n`).join('');
      expect(text.length / 4000).toBeGreaterThan(3900);
      for (let twice = 0; twice < 2; twice++) {
        parseExposition(text, { cache });
        expect(cache.bytes).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
      }
    }
    // Each payload adds an eighth of the bound at most; unbounded, 8,000 lines would be kept.
    expect(cache.bytes).toBeLessThanOrEqual(DEFAULT_MAX_BYTES / 4);
    expect(cache.size).toBeLessThan(600);
  });

  it('under a flood of long lines, fills to its bound and turns its generations over, never past it', () => {
    const bound = 1 << 20;
    const cache = new LineCache(100_000, bound);
    const pad = 'x'.repeat(3880);
    let most = 0;
    for (let round = 0; round < 24; round++) {
      const text = Array.from({ length: 200 }, (_, i) => `flood{id="${round}-${i}",pad="${pad}"} 1\n`).join('');
      for (let twice = 0; twice < 2; twice++) {
        parseExposition(text, { cache });
        most = Math.max(most, cache.bytes);
        expect(cache.bytes).toBeLessThanOrEqual(bound);
      }
    }
    expect(most).toBeGreaterThan((bound * 3) / 4);
    expect(cache.generation).toBeGreaterThan(3);
  });

  it('hits the node_exporter lines of a cluster as often as an unbounded cache does; a flood costs them little', () => {
    const nodes = makeClusterSpecs(60, 1).map((spec) => new SimNode(spec));
    const start = Date.UTC(2026, 10, 21);
    /** The hit rate of the nodes' payloads after the first round (the flood's own lines are not counted). */
    const hitRate = (cache: LineCache, flood: string | undefined) => {
      let hits = 0;
      let misses = 0;
      for (let round = 0; round < 3; round++) {
        nodes.forEach((node, i) => {
          const [h, m] = [cache.hits, cache.misses];
          parseExposition(node.render(start + round * 2000), { families: NODE_EXPORTER_FAMILIES, cache });
          if (round > 0) [hits, misses] = [hits + cache.hits - h, misses + cache.misses - m];
          // Every tenth node, the flood: new lines every other time.
          if (flood !== undefined && i % 10 === 0) parseExposition(flood.replaceAll('ROUND', String(Math.floor((round * nodes.length + i) / 20))), { cache });
        });
      }
      return hits / (hits + misses);
    };
    const unbounded = hitRate(new LineCache(Infinity, Infinity), undefined);
    expect(unbounded).toBeGreaterThan(0.9);
    expect(hitRate(new LineCache(), undefined)).toBe(unbounded);
    const pad = 'x'.repeat(3880);
    const flood = Array.from({ length: 1000 }, (_, i) => `flood{id="ROUND-${i}",pad="${pad}"} 1\n`).join('');
    const flooded = new LineCache();
    // The lines the nodes share stay; the lines of one node, read once a round, may be pushed out.
    expect(hitRate(flooded, flood)).toBeGreaterThan(0.9 * unbounded);
    expect(flooded.bytes).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
  });

  it('keeps one of two texts of the same hash at a time, and serves each only its own chunk', () => {
    // Two texts FNV-1a hashes alike (found by a search over the ids).
    const a = 'm{id="439599"} ';
    const b = 'm{id="622382"} ';
    expect(hashOf(a)).toBe(hashOf(b));
    const read = (id: string): ReadChunk => ({ lines: 0, sampleOffset: 0, typeNames: [], types: [], openMetrics: false, name: 'm', labels: { id } });
    const cache = new LineCache();
    expect(cache.learn(a, read('439599'))).toBeUndefined(); // seen once
    const chunkA = cache.learn(a, read('439599'));
    expect(chunkA?.labels).toEqual({ id: '439599' });
    expect(cache.learn(a, read('439599'))).toBe(chunkA);
    // b is no hit for a's chunk; seen twice, it takes a's place.
    expect(cache.learn(b, read('622382'))).toBeUndefined();
    const chunkB = cache.learn(b, read('622382'));
    expect(chunkB?.text).toBe(b);
    expect(chunkB?.labels).toEqual({ id: '622382' });
    expect(cache.size).toBe(1);
    expect(cache.learn(a, read('439599'))?.text ?? a).toBe(a);
  });
});
