import type { Labels } from '../exposition/types.js';
import type { Family } from '../sources/local/node-families.js';

/** The Content-Type of Prometheus text format 0.0.4, as node_exporter sends it. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Families as Prometheus text 0.0.4: HELP and TYPE before each family's samples. */
export function renderExposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${f.name}${renderLabels(s.labels)} ${renderValue(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A label value as text 0.0.4 writes it. The format escapes only backslash, quote and newline; a
 * raw CR has no escape and ends the line for our parser, so one process started with a CR in its
 * arguments (anyone on the machine may) would make the whole payload unreadable. It is written as
 * the two characters `\r`, the visible form a reader shows it in anyway (util/visible-text.ts).
 */
function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\\\r');
}

function renderLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function renderValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
