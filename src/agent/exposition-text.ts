import type { Labels } from '../exposition/types.js';
import type { Family } from '../sources/local/node-families.js';

/** The Content-Type of Prometheus text format 0.0.4, as node_exporter sends it. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Families as Prometheus text 0.0.4: HELP and TYPE before each family's samples. Built by appending: the agent renders this every scrape. */
export function renderExposition(families: readonly Family[]): string {
  let text = '';
  for (const f of families) {
    text += `# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) text += `${f.name}${renderLabels(s.labels)} ${renderValue(s.value)}\n`;
  }
  return text;
}

/** Characters a label value escapes: most values have none, and are written as they are. */
const NEEDS_ESCAPE = /[\\"\n\r]/;

/**
 * A label value as text 0.0.4 writes it. The format escapes only backslash, quote and newline; a
 * raw CR has no escape and ends the line for our parser, so one process started with a CR in its
 * arguments (anyone on the machine may) would make the whole payload unreadable. It is written as
 * the two characters `\r`, the visible form a reader shows it in anyway (util/visible-text.ts).
 */
function labelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\\\r');
}

function renderLabels(labels: Labels): string {
  let text = '';
  for (const k in labels) text += `${text === '' ? '{' : ','}${k}="${labelValue(labels[k]!)}"`;
  return text === '' ? '' : `${text}}`;
}

function renderValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
