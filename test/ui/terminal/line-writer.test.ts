/**
 * The line writer's bytes: only the rows that changed, and, played on a real terminal (tmux), a
 * screen that reads exactly as the last frame, every row of it, the last one too, without
 * scrolling the first one away.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BEGIN_SYNC, END_SYNC, frameBytes, LineWriter, WRAP_OFF, WRAP_ON } from '../../../src/ui/terminal/line-writer.js';
import { renderLine } from '../../../src/ui/render/line.js';
import type { LineSpec } from '../../../src/ui/render/segments.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { requireBinary } from '../../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../../helpers/tmux.js';

/** The rows a frame's bytes move the cursor to, 1-based, in order. */
const rowsWritten = (bytes: string): number[] => [...bytes.matchAll(/\u001B\[(\d+);1H/g)].map((m) => Number(m[1]));

class Collect {
  readonly chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

describe('frameBytes', () => {
  const a = ['top', 'one', 'two', 'bottom'];

  it('draws a first frame whole on a cleared screen, as one synchronized update with autowrap off', () => {
    const bytes = frameBytes(undefined, a, 4);
    expect(bytes.startsWith(BEGIN_SYNC + WRAP_OFF + '\u001B[2J')).toBe(true);
    expect(bytes.endsWith(WRAP_ON + END_SYNC)).toBe(true);
    expect(rowsWritten(bytes)).toEqual([1, 2, 3, 4]);
  });

  it('writes only the rows that changed, and nothing when none did', () => {
    expect(frameBytes(a, a, 4)).toBe('');
    const bytes = frameBytes(a, ['top', 'ONE', 'two', 'end'], 4);
    expect(rowsWritten(bytes)).toEqual([2, 4]);
    expect(bytes).not.toContain('top');
    expect(bytes).not.toContain('\u001B[2J');
  });

  it('blanks the rows a shorter frame leaves, and draws no row past the terminal', () => {
    expect(rowsWritten(frameBytes(a, ['top'], 4))).toEqual([2, 3, 4]);
    expect(rowsWritten(frameBytes(undefined, [...a, 'fifth'], 4))).toEqual([1, 2, 3, 4]);
  });
});

describe('LineWriter', () => {
  it('draws the whole frame again after invalidate() and after a new size, only changes otherwise', () => {
    const out = new Collect();
    const writer = new LineWriter(out);
    writer.draw(['a', 'b'], 10, 3);
    writer.draw(['a', 'c'], 10, 3);
    expect(rowsWritten(out.chunks[1] ?? '')).toEqual([2]);
    writer.draw(['a', 'c'], 10, 3);
    expect(out.chunks).toHaveLength(2);
    writer.invalidate();
    writer.draw(['a', 'c'], 10, 3);
    expect(out.chunks[2]).toContain('\u001B[2J');
    writer.draw(['a', 'c'], 12, 3);
    expect(out.chunks[3]).toContain('\u001B[2J');
    expect(writer.written).toBe(out.chunks.join('').length);
  });
});

describe.runIf(requireBinary(TMUX))('the line writer on a real terminal (tmux)', () => {
  const sessions: TmuxSession[] = [];
  afterAll(() => {
    for (const s of sessions) s.kill();
  });

  /** Plays `bytes` on a fresh `width` x `height` terminal and returns its screen once `done` holds. */
  async function play(bytes: string, width: number, height: number, done: (screen: string) => boolean): Promise<string[]> {
    const file = join(tempDir('line-writer'), 'frames');
    writeFileSync(file, bytes);
    const tmux = new TmuxSession(`cat '${file}'; sleep 60`, { width, height });
    sessions.push(tmux);
    const screen = await tmux.waitFor(done);
    return screen.replace(/\n$/, '').split('\n');
  }

  const styled = (lines: readonly LineSpec[]): string[] => lines.map((l) => renderLine(l, true));

  for (const [width, height] of [[80, 24], [200, 60]] as const) {
    it(`at ${width}x${height} ends with exactly the last frame: changed rows only, every row used, the first still on screen`, async () => {
      const first: LineSpec[] = Array.from({ length: height }, (_, r) => [{ text: `row ${r + 1} `, color: 'cyan' }, { text: 'x'.repeat(width - `row ${r + 1} `.length) }]);
      const second: LineSpec[] = first.map((line, r) => {
        if (r === 2) return [{ text: 'short', bold: true }];
        if (r === 5) return [];
        if (r === height - 1) return [{ text: 'last row, full width '.padEnd(width, '='), inverse: true }];
        return line;
      });
      const out = new Collect();
      const writer = new LineWriter(out);
      writer.draw(styled(first), width, height);
      writer.draw(styled(second), width, height);
      expect(rowsWritten(out.chunks[1] ?? '')).toEqual([3, 6, height]);
      const screen = await play(out.chunks.join(''), width, height, (s) => s.includes('last row'));
      const expected = second.map((l) => l.map((s) => s.text).join('').trimEnd());
      expect(screen.map((l) => l.trimEnd())).toEqual(expected);
    });
  }

  it('cuts a line the terminal finds wider than counted at the edge: no wrap, no scroll', async () => {
    // Each of these is one string character and two terminal cells.
    const wide = '界'.repeat(30);
    const out = new Collect();
    const writer = new LineWriter(out);
    writer.draw(['first', 'middle', wide], 40, 3);
    const screen = await play(out.chunks.join(''), 40, 3, (s) => s.includes('界'));
    expect(screen[0]).toBe('first');
    expect(screen[1]).toBe('middle');
    expect(screen[2]?.startsWith('界'.repeat(19))).toBe(true);
    expect(screen).toHaveLength(3);
  });
});
