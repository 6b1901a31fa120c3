import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyDecoder } from '../../src/scrape/inflate.js';
import { random } from '../random.js';

const MiB = 1024 * 1024;

/** What gunzipSync makes of `wire` under the cap, as the decoder should say it. */
function reference(wire: Uint8Array, maxBytes: number): string {
  try {
    return gunzipSync(wire, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (err) {
    return (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'gzip body inflates past' : 'invalid gzip body';
  }
}

function decoded(decoder: BodyDecoder, chunks: Uint8Array[], maxBytes: number): string {
  try {
    const bytes = chunks.reduce((n, c) => n + c.length, 0);
    return decoder.decode(chunks, bytes, true, maxBytes).text;
  } catch (err) {
    return (err as Error).message.replace(/ \d.*$/, '');
  }
}

function splitAt(wire: Buffer, cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts.filter((c) => c > 0 && c < wire.length).sort((a, b) => a - b), wire.length];
  return points.slice(1).map((end, i) => wire.subarray(points[i], end));
}

describe('BodyDecoder', () => {
  it('inflates through one kept zlib stream on this Node', () => {
    expect(new BodyDecoder().inflatesInPlace).toBe(true);
    expect(new BodyDecoder(false).inflatesInPlace).toBe(false);
  });

  it('says what gunzipSync says, body after body, through one decoder and without one', () => {
    const next = random(7);
    const kept = new BodyDecoder();
    const fresh = new BodyDecoder(false);
    const texts = [
      '', 'up 1\n', 'é ü ✓ \u{1F600}\n',
      // Around the kept output size, so that the output fills up exactly and has to grow.
      'x'.repeat(256 * 1024 - 1), 'y'.repeat(256 * 1024), 'z'.repeat(256 * 1024 + 1), 'w'.repeat(2 * MiB + 3),
    ];
    for (let i = 0; i < 40; i++) texts.push(Array.from({ length: Math.floor(next() * 5000) }, () => `node_cpu_seconds_total{cpu="${Math.floor(next() * 128)}"} ${next()}\n`).join(''));
    for (const text of texts) {
      const wire = gzipSync(text);
      const chunks = splitAt(wire, [Math.floor(next() * wire.length), Math.floor(next() * wire.length)]);
      for (const decoder of [kept, fresh]) expect(decoded(decoder, chunks, 16 * MiB)).toBe(text);
    }
  });

  it('reads gzip members one after another', () => {
    const wire = Buffer.concat([gzipSync('first\n'), gzipSync('second\n')]);
    expect(decoded(new BodyDecoder(), [wire], MiB)).toBe('first\nsecond\n');
  });

  it('fails as gunzipSync does on broken bodies, and decodes the next one', () => {
    const next = random(11);
    const good = gzipSync('up 1\n'.repeat(1000));
    const decoder = new BodyDecoder();
    const broken: Buffer[] = [Buffer.from('not gzip at all'), good.subarray(0, good.length - 9), good.subarray(0, 10)];
    for (let i = 0; i < 200; i++) {
      const copy = Buffer.from(good);
      const at = Math.floor(next() * copy.length);
      copy[at] = (copy[at] as number) ^ (1 + Math.floor(next() * 255));
      broken.push(copy);
    }
    for (const wire of broken) {
      expect(decoded(decoder, [wire], MiB)).toBe(reference(wire, MiB));
      expect(decoded(decoder, [good], MiB)).toBe('up 1\n'.repeat(1000));
    }
  });

  it('stops at the cap however much the body would inflate to', () => {
    const bomb = gzipSync(Buffer.alloc(50 * MiB));
    for (const decoder of [new BodyDecoder(), new BodyDecoder(false)]) {
      expect(() => decoder.decode([bomb], bomb.length, true, MiB)).toThrow('gzip body inflates past 1 MiB');
    }
    const exact = gzipSync('a'.repeat(MiB));
    expect(decoded(new BodyDecoder(), [exact], MiB)).toBe('a'.repeat(MiB));
  });

  it('decodes a plain body from its chunks and counts its bytes', () => {
    const text = 'é\n'.repeat(100);
    const bytes = Buffer.from(text);
    const result = new BodyDecoder().decode(splitAt(bytes, [1, 50, 51]), bytes.length, false, MiB);
    expect(result).toEqual({ text, bodyBytes: bytes.length });
  });
});
