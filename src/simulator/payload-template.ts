/**
 * A node_exporter payload as a template: all HELP/TYPE lines, names and label sets are joined into
 * static text once, so a render only calls the value getters and formats numbers.
 */

export type FamilyType = 'counter' | 'gauge' | 'summary' | 'untyped';

/** A fixed value (a string is printed verbatim), or a getter called at every render. */
export type SampleValue = number | string | (() => number);

interface SampleDef {
  readonly name: string;
  readonly labels: string;
  readonly value: SampleValue;
}

interface FamilyDef {
  readonly header: string;
  readonly samples: SampleDef[];
}

export interface FamilyHandle {
  /** Adds a sample named like the family. */
  add(value: SampleValue, labels?: Readonly<Record<string, string>>): FamilyHandle;
  /** Adds a sample whose name is the family's plus a suffix (a summary's `_sum`, `_count`). */
  addSuffixed(suffix: string, value: SampleValue, labels?: Readonly<Record<string, string>>): FamilyHandle;
}

/** What a left-out family's samples go to: nowhere. */
const DISCARDED: FamilyHandle = { add: () => DISCARDED, addSuffixed: () => DISCARDED };

export class PayloadBuilder {
  private readonly families = new Map<string, FamilyDef>();

  /**
   * keep(name) decides, as each family is defined, whether it goes into the template; it may throw
   * to refuse a family outright. Left-out families cost nothing, so a narrowed payload can be built
   * by the same code as the full one.
   */
  constructor(private keep: (family: string) => boolean = () => true) {}

  family(name: string, type: FamilyType, help: string): FamilyHandle {
    if (this.families.has(name)) throw new Error(`family ${name} defined twice`);
    if (!this.keep(name)) return DISCARDED;
    const samples: SampleDef[] = [];
    this.families.set(name, { header: `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`, samples });
    const handle: FamilyHandle = {
      add: (value, labels) => handle.addSuffixed('', value, labels),
      addSuffixed: (suffix, value, labels) => {
        samples.push({ name: name + suffix, labels: labels ? formatLabels(labels) : '', value });
        return handle;
      },
    };
    return handle;
  }

  /** Families come out sorted by name, as node_exporter's registry prints them. */
  build(): PayloadTemplate {
    const texts: string[] = [];
    const getters: (() => number)[] = [];
    let text = '';
    for (const name of [...this.families.keys()].sort()) {
      const family = this.families.get(name)!;
      text += family.header;
      for (const s of family.samples) {
        text += `${s.name}${s.labels} `;
        if (typeof s.value === 'function') {
          texts.push(text);
          getters.push(s.value);
          text = '\n';
        } else {
          text += `${typeof s.value === 'string' ? s.value : formatValue(s.value)}\n`;
        }
      }
    }
    texts.push(text);
    // Getters' closures may hold on to this builder, its handles and its keep(); emptied, they cost nothing.
    for (const family of this.families.values()) family.samples.length = 0;
    this.families.clear();
    this.keep = () => true;
    return new PayloadTemplate(texts.map(intern), getters);
  }
}

/**
 * Static text shared between nodes: most of it (HELP/TYPE lines, per-core label sets) is the same
 * for every node, and 2,000 nodes would otherwise keep 2,000 copies of ~64 KB. Bounded by
 * starting over when full, so building ever new nodes cannot grow it without end.
 */
const shared = new Map<string, string>();
const SHARED_MAX = 50_000;

function intern(text: string): string {
  const known = shared.get(text);
  if (known !== undefined) return known;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(text, text);
  return text;
}

export class PayloadTemplate {
  /** Formatted numbers are ASCII, so this tells whether the whole payload is. */
  readonly ascii: boolean;

  constructor(
    private readonly texts: readonly string[],
    private readonly getters: readonly (() => number)[],
  ) {
    // Reading a string flattens V8's rope of concatenations once, rather than at every render.
    this.ascii = texts.every((t) => /^[\x00-\x7f]*$/.test(t));
  }

  /** Values that change between renders. */
  get dynamicSamples(): number {
    return this.getters.length;
  }

  render(): string {
    const { texts, getters } = this;
    let out = texts[0]!;
    for (let i = 0; i < getters.length; i++) out += formatValue(getters[i]!()) + texts[i + 1]!;
    return out;
  }
}

/**
 * Formats like Go's strconv.FormatFloat(x, 'g', -1, 64), which node_exporter uses: exponent
 * notation from 1e6 up and below 1e-4, with at least two exponent digits ("1.946481e+06").
 */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  const a = Math.abs(x);
  if (a === 0 || (a >= 1e-4 && a < 1e6)) return String(x);
  const s = x.toExponential();
  const e = s.indexOf('e');
  return s.length - e === 3 ? `${s.slice(0, e + 2)}0${s.slice(e + 2)}` : s;
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  return `{${names.map((n) => `${n}="${escapeLabelValue(labels[n] ?? '')}"`).join(',')}}`;
}

function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(v: string): string {
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}
