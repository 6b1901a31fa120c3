/**
 * The interactive view of a source's store, walked through as someone would: the table, the alert
 * panel, every sort column, every node's detail (a Kubernetes node's pods and containers too, an app's metric list
 * scrolled, its containers box and GPU lines, its processes pane as a list, a tree and by command name), every
 * grouping `b` offers with a detail opened in it, the cluster's heaviest processes `t` and containers `c`. Every frame is kept: the screen
 * as the line writer (as in use) has drawn it, each time it writes.
 */
import { App } from '../../src/ui/app.js';
import { AlertMonitor } from '../../src/alerts/monitor.js';
import type { AlertRule } from '../../src/alerts/rules.js';
import type { Source } from '../../src/sources/source.js';
import { LineWriter } from '../../src/ui/terminal/line-writer.js';
import { renderSized } from '../ui/terminal.js';
import { tick } from '../ui/fixtures.js';

const DOWN = '\u001b[B';
const PAGE_DOWN = '\u001b[6~';
const ESC = '\u001b';
const ENTER = '\r';
const TAB = '\t';

/** Wide and tall, so that long names and the detail's lines are seen whole, not cut. */
const COLUMNS = 220;
const ROWS = 60;

export interface Tour {
  /** Every frame written, in order. */
  readonly frames: readonly string[];
}

export async function tour(source: Source, rules: readonly AlertRule[], color: boolean): Promise<Tour> {
  const now = (): number => source.clockMs?.() ?? Date.now();
  const alerts = new AlertMonitor(source.store, rules, now);
  alerts.evaluate();
  const frames: string[] = [];
  // The writer's bytes are its cursor moves around these rows (test/ui/terminal/line-writer.test.ts).
  const writer: LineWriter = new LineWriter({ write: () => frames.push(writer.screen().join('\n')) });
  const r = renderSized(
    <App store={source.store} intervalMs={source.interval} onQuit={() => undefined} color={color} now={now} notice={() => source.notice} alerts={alerts} writer={writer} />,
    COLUMNS,
    ROWS,
  );
  const press = async (...keys: string[]): Promise<void> => {
    for (const key of keys) {
      r.stdin.write(key);
      await tick();
    }
  };
  try {
    await tick();
    const nodes = source.store.nodes().length;
    const kube = source.store.nodes().some((n) => n.kube !== null);
    // The detail of each node: Home, down to it, Enter; then what that detail offers.
    const details = async (): Promise<void> => {
      for (let i = 0; i < nodes; i++) {
        await press('g', ...Array<string>(i).fill(DOWN), ENTER);
        // Kubernetes: the pods pane, a pod's containers, back to the pods, the charts; an app: its list scrolled.
        if (kube) await press(TAB, ENTER, ESC, TAB);
        else await press(PAGE_DOWN);
        // Its processes, if it has any: as a tree, then the totals by command name.
        if (source.store.nodes()[i]?.processes) await press('t', 'e', 'e', 'b', 'b', ESC);
        await press(ESC);
      }
    };
    await details();
    await press('a', 'a');
    // `s` steps through every sort column, `--column`s included: the status line names each.
    for (let i = 0; i < 20; i++) await press('s');
    // `b` cycles through the groupings back to none: each is drawn, and a detail opened from it.
    for (let i = 0; i < 6; i++) {
      await press('b');
      await press('g', ENTER, ESC);
    }
    // The cluster's heaviest processes, sorted each way, one opened at its node; back to the table.
    if (source.store.nodes().some((n) => n.processes)) {
      await press('t');
      for (let i = 0; i < 5; i++) await press('s');
      await press(ENTER, ESC, ESC);
    }
    // The heaviest containers, grouped by compose project, one opened at its node; back to the table.
    if (source.store.nodes().some((n) => n.containers)) await press('c', 'b', 'g', ENTER, ESC, 'c', 'b', 'c');
    return { frames };
  } finally {
    r.unmount();
  }
}
