/** Every key the UI answers to, for the help screen and the footer hints. */
import { fit } from './format.js';
import { fitLine, packLine, type Segment } from './segments.js';

export const KEYS: readonly (readonly [keys: string, action: string])[] = [
  ['↑/↓  j/k', 'move the selection'],
  ['PgUp/PgDn', 'move a page'],
  ['Home/End  g/G', 'first / last node'],
  ['Enter  →', 'node detail'],
  ['Esc  ←  Backspace', 'back to the table'],
  ['s', 'next sort column'],
  ['S', 'reverse the sort'],
  ['/', 'filter names (text or /regex/)'],
  ['  label=value', 'or labels: role=worker, a=b,c!=d'],
  ['  Enter / Esc', 'apply / clear the filter'],
  ['b', 'group by job, label, role, zone'],
  ['Tab', 'detail: charts / pods'],
  ['  ↑/↓ s S', 'pods: move, sort, reverse'],
  ['  Enter / Esc', "pod's containers / back"],
  ['↑/↓  PgUp/PgDn', 'app detail: scroll metrics'],
  ['a', 'show / hide the alert panel'],
  ['p', 'pause / resume the display'],
  ['[  ]', 'replay: back / forward a minute'],
  ['+  -', 'longer / shorter scrape interval'],
  ['wheel  click', 'move; select, again for the detail'],
  ['?', 'this help (any key closes it)'],
  ['q  Ctrl-C', 'quit'],
];

/** The key list in as many columns as the height needs, exactly `height` lines or fewer. */
export function helpLines(width: number, height: number): Segment[][] {
  if (height <= 0) return [];
  const title = packLine([{ segments: [{ text: 'Keys', bold: true }], priority: 1 }], [{ text: 'any key closes', color: 'gray' }], width);
  const room = height - 1;
  if (room <= 0) return [title];
  const columns = Math.ceil(KEYS.length / room);
  const colWidth = Math.floor(width / columns);
  const keyWidth = Math.min(20, Math.max(...KEYS.map(([k]) => k.length)) + 2);
  const lines: Segment[][] = [title];
  for (let row = 0; row < Math.min(room, KEYS.length); row++) {
    const line: Segment[] = [];
    for (let c = 0; c < columns; c++) {
      const entry = KEYS[c * room + row];
      if (!entry) break;
      line.push({ text: fit(entry[0], Math.min(keyWidth, colWidth)), color: 'cyan', bold: true });
      line.push({ text: fit(entry[1], Math.max(0, colWidth - keyWidth)) });
    }
    lines.push(fitLine(line, width));
  }
  return lines;
}

type Hint = readonly [key: string, action: string];

/** Where the user is: the keys that matter differ between the table, a node's charts and its pods; kube-table is any table `b` can group. */
export type HintMode = 'table' | 'kube-table' | 'kube-charts' | 'pods' | 'containers' | 'app';

const HINTS: Readonly<Record<HintMode, readonly Hint[]>> = {
  table: [['q', 'quit'], ['?', 'help'], ['↑↓', 'move'], ['Enter', 'detail'], ['/', 'filter'], ['s', 'sort'], ['p', 'pause'], ['+-', 'interval']],
  'kube-table': [['q', 'quit'], ['?', 'help'], ['↑↓', 'move'], ['Enter', 'detail'], ['/', 'filter'], ['s', 'sort'], ['b', 'group'], ['p', 'pause'], ['+-', 'interval']],
  'kube-charts': [['q', 'quit'], ['?', 'help'], ['Esc', 'back'], ['Tab', 'pods'], ['↑↓', 'node'], ['p', 'pause'], ['+-', 'interval']],
  pods: [['q', 'quit'], ['?', 'help'], ['Esc', 'back'], ['↑↓', 'pod'], ['Enter', 'containers'], ['s', 'sort'], ['Tab', 'charts'], ['p', 'pause']],
  containers: [['q', 'quit'], ['?', 'help'], ['Esc', 'pods'], ['↑↓', 'pod'], ['Tab', 'charts'], ['p', 'pause']],
  app: [['q', 'quit'], ['?', 'help'], ['Esc', 'back'], ['↑↓', 'scroll'], ['a', 'alerts'], ['p', 'pause']],
};

/** Key hints, most important first so a narrow footer keeps quit and help. */
export function hintLine(width: number, mode: HintMode = 'table'): Segment[] {
  const hints = HINTS[mode];
  return packLine(
    hints.map(([key, action], i) => ({ segments: [{ text: key, color: 'cyan' as const, bold: true }, { text: ` ${action}` }], priority: hints.length - i })),
    [],
    width,
  );
}
