/**
 * The mouse, as xterm reports it in SGR mode (1006): `ESC [ < button ; column ; row M` on a press,
 * `m` on a release. Asked for with button tracking (1000), so no motion events come, and the
 * terminal's own selection still works with Shift held (xterm, tmux, most terminals).
 *
 * ink reads each SGR report as one input event and passes it on without the ESC (X10 reports, from
 * terminals without SGR, see MouseInput); the view turns them into the same moves as the keys, so
 * a mouse does nothing a key cannot.
 */
import type { Key } from 'ink';
import { reduceKey, type KeyContext, type KeyResult, type UiState } from './ui-state.js';

export const ENABLE_MOUSE = '\u001B[?1000h\u001B[?1006h';
export const DISABLE_MOUSE = '\u001B[?1006l\u001B[?1000l';

export type MouseEvent =
  | { readonly kind: 'wheel'; readonly direction: 1 | -1 }
  /** A left-button press; column and row are 0-based cells of the screen. */
  | { readonly kind: 'click'; readonly column: number; readonly row: number };

const SGR_REPORT = /^\u001B?\[<(\d+);(\d+);(\d+)([Mm])$/;
const WHEEL = 64;
const MOTION = 32;
/** Shift, Meta and Control add 4, 8 and 16 to the button code. */
const MODIFIERS = 4 | 8 | 16;

/**
 * The event of one report; undefined for input that is no report, and for reports the view has
 * no use for (releases, other buttons, motion).
 */
export function parseMouse(input: string): MouseEvent | undefined {
  const match = SGR_REPORT.exec(input);
  if (!match) return undefined;
  const code = Number(match[1]);
  const column = Number(match[2]) - 1;
  const row = Number(match[3]) - 1;
  if ((code & MOTION) !== 0 || column < 0 || row < 0) return undefined;
  const button = code & ~MODIFIERS;
  if (button === WHEEL || button === WHEEL + 1) return { kind: 'wheel', direction: button === WHEEL ? -1 : 1 };
  if (button === 0 && match[4] === 'M') return { kind: 'click', column, row };
  return undefined;
}

/**
 * Splits ink's input events into mouse reports and keys. SGR reports come whole. A terminal that
 * knows button tracking but not SGR sends X10 reports instead, `ESC [ M` and three bytes (button,
 * column, row, each plus 32), which ink hands on as `[M` and then text: those three bytes are taken
 * here too, as a report, and never read as keys (a click in column 81 would otherwise type `q`).
 */
export class MouseInput {
  /** The bytes of an X10 report so far, after its `[M`; null when none is under way. */
  private x10: string | null = null;

  /** The report in `input`, if any, and what is left of it to read as keys. */
  take(input: string): { readonly report: boolean; readonly event?: MouseEvent; readonly rest: string } {
    if (this.x10 !== null) {
      const bytes = this.x10 + input;
      if (bytes.length < 3) {
        this.x10 = bytes;
        return { report: true, rest: '' };
      }
      this.x10 = null;
      const event = parseMouse(sgrOfX10(bytes));
      return { report: true, ...(event ? { event } : {}), rest: bytes.slice(3) };
    }
    if (SGR_REPORT.test(input)) {
      const event = parseMouse(input);
      return { report: true, ...(event ? { event } : {}), rest: '' };
    }
    if (input === '[M' || input === '\u001B[M') {
      this.x10 = '';
      return { report: true, rest: '' };
    }
    return { report: false, rest: input };
  }
}

/** An X10 report's three bytes as the SGR report of the same press (a release becomes one). */
function sgrOfX10(bytes: string): string {
  const [code = 0, column = 0, row = 0] = [...bytes.slice(0, 3)].map((c) => c.charCodeAt(0) - 32);
  // X10 says only that some button was released (3), not which.
  const release = (code & 3) === 3 && (code & WHEEL) === 0;
  return `[<${release ? code & ~3 : code};${column};${row}${release ? 'm' : 'M'}`;
}

/** Rows the wheel moves per notch, as terminals scroll their own history. */
export const WHEEL_ROWS = 3;

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

export interface MouseContext extends KeyContext {
  /** The table as drawn: the screen row of its first line of rows, and those rows (group headers included). */
  readonly table?: { readonly top: number; readonly shown: readonly { readonly id: string }[] };
}

/**
 * The wheel moves as the arrow keys do, in whatever the view shows (table, detail, pods); a click
 * on a node's row selects it, and a click on the selected row opens its detail, as Enter does.
 */
export function reduceMouse(state: UiState, event: MouseEvent, ctx: MouseContext): KeyResult {
  if (state.prompt !== null) return { state };
  // The wheel moves as the arrows do, the help included (it scrolls, when longer than the screen).
  if (event.kind === 'wheel') {
    const arrow: Key = { ...NO_KEY, upArrow: event.direction < 0, downArrow: event.direction > 0 };
    let result: KeyResult = { state };
    for (let i = 0; i < WHEEL_ROWS; i++) result = reduceKey(result.state, '', arrow, ctx);
    return result;
  }
  if (state.help || state.view !== 'table' || ctx.table === undefined) return { state };
  const clicked = ctx.table.shown[event.row - ctx.table.top];
  const index = clicked === undefined ? -1 : ctx.rows.findIndex((r) => r.id === clicked.id);
  if (clicked === undefined || index < 0) return { state };
  if (state.selection.id === clicked.id) return reduceKey(state, '', { ...NO_KEY, return: true }, ctx);
  return { state: { ...state, selection: { id: clicked.id, index } } };
}
