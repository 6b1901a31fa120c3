/**
 * The view at the common sizes in a real terminal: the line writer draws every row, the last one
 * too, without scrolling the first one away; the table, the detail and a resize.
 */
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { requireBinary } from '../helpers/real-binary.js';
import { TMUX, TmuxSession } from '../helpers/tmux.js';

const rowsOf = (screen: string): string[] => screen.replace(/\n$/, '').split('\n');
/** Polls of the screen, 100 ms apart: a busy machine (a full test run on 2 cores) may take a while to draw. */
const TRIES = 300;

describe.runIf(requireBinary(TMUX))('every row of the terminal (tmux)', () => {
  for (const [width, height] of [[80, 24], [200, 60]] as const) {
    it(`at ${width}x${height}: the header on row 1, the keys on row ${height}, no blank row; the detail too; then a resize`, async () => {
      // ink draws only the last frame when CI is set: the terminal user must see every frame.
      const command = `env -u CI ${process.execPath} ${BIN} --demo 50 --seed 1 -i 500ms; echo "cluster-top exited $?"; sleep 60`;
      const tmux = new TmuxSession(command, { width, height });
      try {
        const full = (s: string, hint: string) => {
          const rows = rowsOf(s);
          return rows.length === height && /\d+\/50 up/.test(rows[0] ?? '') && (rows[height - 1] ?? '').startsWith(hint);
        };
        // A few frames in, so any scrolling would have moved row 1 by now.
        await tmux.waitFor((s) => full(s, 'q quit') && /CPU\s+\S+\s+[\d.]+%/.test(s), TRIES);
        await new Promise((resolve) => setTimeout(resolve, 1200));
        let rows = rowsOf(await tmux.waitFor((s) => full(s, 'q quit'), TRIES));
        expect(rows).toHaveLength(height);
        expect(rows[0]).toMatch(/\d+\/50 up/);
        expect(rows[height - 1]).toMatch(/^q quit {2}\? help/);
        for (const [i, row] of rows.entries()) expect(row.trim(), `row ${i + 1}`).not.toBe('');
        // The table's rows are distinct: no name cut to the same text.
        const nodeRows = rows.filter((r) => /^[ >]\S+\s+(?:up|DOWN)\b/.test(r));
        expect(nodeRows.length).toBeGreaterThan(5);
        expect(new Set(nodeRows.map((r) => /^[ >](\S+)/.exec(r)?.[1])).size).toBe(nodeRows.length);

        tmux.send('Enter');
        rows = rowsOf(await tmux.waitFor((s) => full(s, 'q quit') && s.includes('Esc back') && /^C0 /m.test(s), TRIES));
        expect(rows).toHaveLength(height);
        expect(rows[0]).toMatch(/\d+\/50 up/);
        expect(rows.some((r) => /^C0 /.test(r))).toBe(true);
        expect(rows[height - 1]).toMatch(/Esc back/);

        // A new size: the whole frame drawn again at it, nothing left of the old one.
        tmux.send('Escape');
        tmux.command('resize-window', '-t', 'ct', '-x', '100', '-y', '30');
        const resized = (s: string) => {
          const r = rowsOf(s);
          return r.length === 30 && /\d+\/50 up/.test(r[0] ?? '') && (r[29] ?? '').startsWith('q quit') && !s.includes('Esc back');
        };
        rows = rowsOf(await tmux.waitFor(resized, TRIES));
        expect(rows).toHaveLength(30);
        expect(rows[29]).toMatch(/^q quit/);
        for (const [i, row] of rows.entries()) expect(row.trim(), `row ${i + 1} after the resize`).not.toBe('');

        tmux.send('q');
        expect(await tmux.waitFor((s) => s.includes('cluster-top exited'), TRIES)).toContain('cluster-top exited 0');
      } finally {
        tmux.kill();
      }
    }, 120_000);
  }
});
