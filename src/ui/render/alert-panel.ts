/** The alert panel above the table: firing alerts newest first, then pending and recently resolved ones. */
import { sinceMs, type Alert, type AlertState } from '../../alerts/evaluator.js';
import { ruleText } from '../../alerts/rules.js';
import { fit, formatAge, formatValue } from '../../util/format.js';
import { fitLine, packLine, type Segment, type Tone } from './segments.js';

const MARK: Readonly<Record<AlertState, { readonly text: string; readonly color: Tone }>> = {
  firing: { text: '!', color: 'red' },
  pending: { text: '~', color: 'yellow' },
  resolved: { text: '✓', color: 'green' },
};

/** A third of the body at most, and nothing when that is too little to tell anything. */
export function alertPanelHeight(alerts: number, body: number): number {
  const room = Math.floor(body / 3);
  return alerts === 0 || room < 2 ? 0 : Math.min(alerts + 1, room);
}

function counts(alerts: readonly Alert[]): Segment[] {
  const n = (state: AlertState): number => alerts.filter((a) => a.state === state).length;
  const out: Segment[] = [{ text: 'ALERTS', bold: true }];
  for (const state of ['firing', 'pending', 'resolved'] as const) {
    if (n(state) > 0) out.push({ text: `  ${n(state)} ${state}`, color: MARK[state].color, bold: state === 'firing' });
  }
  return out;
}

function alertLine(alert: Alert, width: number, nowMs: number): Segment[] {
  const mark = MARK[alert.state];
  const age = formatAge((nowMs - sinceMs(alert)) / 1000);
  const when = alert.state === 'resolved' ? `resolved ${age} ago` : `${alert.state} ${age}`;
  const dim = alert.state === 'resolved';
  // The node's name takes what the rest leaves, up to the longest cloud names (the rule text last).
  const nameWidth = Math.max(24, Math.min(48, width - 80));
  return fitLine(
    [
      { text: `${mark.text} `, color: mark.color, bold: true },
      { text: fit(alert.rule.column, 14), bold: !dim, dim },
      { text: ` ${fit(alert.node, nameWidth)}`, dim },
      { text: ` ${fit(formatValue(alert.value), 7, 'right')}`, color: mark.color, dim },
      { text: `  ${fit(when, 16)}`, color: mark.color, dim },
      { text: `  ${ruleText(alert.rule)}`, color: 'gray' },
    ],
    width,
  );
}

/** Exactly `height` lines or fewer: a title with the counts, then as many alerts as fit. */
export function alertPanelLines(alerts: readonly Alert[], width: number, height: number, nowMs: number): Segment[][] {
  if (height <= 0) return [];
  const lines: Segment[][] = [packLine([{ segments: counts(alerts), priority: 1 }], [{ text: 'a hide', color: 'gray' }], width)];
  const room = height - 1;
  const shown = alerts.length > room ? alerts.slice(0, Math.max(0, room - 1)) : alerts;
  for (const a of shown) lines.push(alertLine(a, width, nowMs));
  if (shown.length < alerts.length && room > 0) lines.push(fitLine([{ text: `  … ${alerts.length - shown.length} more`, color: 'gray' }], width));
  return lines;
}
