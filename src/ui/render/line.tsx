import { useLayoutEffect } from 'react';
import { Box, Transform, useStdout } from 'ink';
import type { LineWriter } from '../terminal/line-writer.js';
import { fitLine, lineText, lineWidth, type LineSpec, type Segment, type Tone } from './segments.js';
import { replaceUnsafe } from '../../util/visible-text.js';

const FG: Readonly<Record<Tone, number>> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

/** SGR-styled text, closed with the matching resets as chalk does; 16-color codes only. */
function styled(s: Segment): string {
  const text = replaceUnsafe(s.text);
  if (!s.color && !s.bold && !s.dim && !s.inverse) return text;
  let open = '';
  let close = '';
  if (s.color) {
    open += `\u001B[${FG[s.color]}m`;
    close = `\u001B[39m${close}`;
  }
  if (s.bold || s.dim) {
    open += `${s.bold ? '\u001B[1m' : ''}${s.dim ? '\u001B[2m' : ''}`;
    close = `\u001B[22m${close}`;
  }
  if (s.inverse) {
    open += '\u001B[7m';
    close = `\u001B[27m${close}`;
  }
  return open + text + close;
}

const plain = (s: Segment): boolean => !s.color && !s.bold && !s.dim && !s.inverse;
const sameStyle = (a: Segment, b: Segment): boolean =>
  a.color === b.color && !a.bold === !b.bold && !a.dim === !b.dim && !a.inverse === !b.inverse;

/**
 * The line as one string with its own escape sequences: one ink Text per screen line instead of
 * one per segment, runs of one style merged, trailing plain blanks dropped. ink re-tokenizes every
 * character of every frame, so fewer characters and escapes make a cheaper frame.
 */
export function renderLine(segments: LineSpec, color: boolean): string {
  // Text is made visible where it enters the store; this is the net under that, for text that
  // came another way: whatever control character is left is drawn as U+FFFD, never written.
  if (!color) return replaceUnsafe(lineText(segments).trimEnd());
  let out = '';
  let run: Segment | undefined;
  for (const s of segments) {
    if (run && sameStyle(run, s)) run = { ...run, text: run.text + s.text };
    else {
      if (run) out += styled(run);
      run = s;
    }
  }
  if (run) out += plain(run) ? replaceUnsafe(run.text.trimEnd()) : styled(run);
  return out;
}

interface LineProps {
  readonly segments: LineSpec;
  /** Without color not one escape sequence is written: no color, no dim, no bold, no inverse. */
  readonly color: boolean;
}

/**
 * One screen line; the segments are already fitted to the width. ink lays out a blank as wide as
 * the line, and the line takes its place when the frame is written (a Transform runs after the
 * layout): ink 6 keeps the size of every text it ever laid out in a Map it never empties
 * (measure-text.js; ink issue #986), and a live table makes new lines every frame, 1.7 MB a
 * minute at 1,000 nodes. Blanks repeat. The blank also keeps an empty line in the frame. Every
 * line is a row of the app's full-width column, so a line too long (the safety net) is cut to
 * the terminal's width here: ink would wrap the blank, not cut it.
 */
export function Line({ segments, color }: LineProps) {
  const { stdout } = useStdout();
  const { text, width } = cutLine(segments, stdout.columns, color);
  return <Transform transform={() => text}>{' '.repeat(width)}</Transform>;
}

/** The line drawn, cut to `columns` (when known) with an ellipsis; and the cells it takes. */
function cutLine(segments: LineSpec, columns: number, color: boolean): { text: string; width: number } {
  const full = lineWidth(segments);
  const width = Math.max(1, Math.min(full, columns > 0 ? columns : full));
  return { text: renderLine(width < full ? fitLine(segments, width) : segments, color), width };
}

interface LinesProps {
  readonly lines: readonly LineSpec[];
  readonly color: boolean;
}

export function Lines({ lines, color }: LinesProps) {
  return (
    <>
      {lines.map((segments, i) => (
        <Line key={i} segments={segments} color={color} />
      ))}
    </>
  );
}

interface ScreenProps extends LinesProps {
  /** Draws the lines on the terminal itself (line-writer.ts); without it ink draws them. */
  readonly writer?: LineWriter | undefined;
  readonly columns: number;
  readonly rows: number;
}

/**
 * The whole frame, top to bottom. With a writer, ink draws nothing: the lines go to the terminal
 * once React has committed the frame, only the rows that changed (ink stays for the keys, the
 * resize events and the React tree). Without one (tests, and the benchmark's peer), ink lays the
 * same lines out as before.
 */
export function Screen({ lines, color, writer, columns, rows }: ScreenProps) {
  useLayoutEffect(() => {
    writer?.draw(
      lines.map((segments) => cutLine(segments, columns, color).text),
      columns,
      rows,
    );
  });
  if (writer) return null;
  return (
    <Box flexDirection="column" width={columns}>
      <Lines lines={lines} color={color} />
    </Box>
  );
}
