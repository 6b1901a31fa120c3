/**
 * Reading a YAML/JSON document field by field with the type each field must have. A wrong type
 * is a ConfigError naming the file and the field's path (`scrape_configs[1].scheme: expected …`);
 * fields nobody read are reported afterwards, so none is ever ignored without a word.
 */
import { load, YAMLException, CORE_SCHEMA } from 'js-yaml';
import { parseDuration } from '../../util/duration.js';
import { CtError, EXIT_USAGE } from '../../util/errors.js';

/** Something wrong in a configuration or discovery file: one line, naming the file and the field. */
export class ConfigError extends CtError {
  readonly code = 'CT_ERR_CONFIG';
  readonly exitStatus = EXIT_USAGE;

  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses YAML (JSON is YAML too). The core schema: no dates or binary, so a value is a string,
 * number, boolean, null, list or mapping. The error names the place, never the text, which may
 * hold a password.
 */
export function parseYaml(text: string, origin: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const at = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
    throw new ConfigError(`${origin}: invalid YAML${at}: ${error.reason}`);
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One mapping of the document, at `path`; `seen` collects the keys read, for unknownKeys(). */
export class Fields {
  private readonly seen = new Set<string>();
  private readonly children: Fields[] = [];

  private constructor(
    readonly origin: string,
    readonly path: string,
    private readonly map: Record<string, unknown>,
  ) {}

  /** The document's value at `path` as a mapping; null (an empty YAML block) is an empty one. */
  static of(origin: string, path: string, value: unknown): Fields {
    if (value === null || value === undefined) return new Fields(origin, path, {});
    if (!isMapping(value)) throw new ConfigError(`${origin}: ${path || '(top level)'}: expected a mapping`);
    return new Fields(origin, path, value);
  }

  fail(key: string, message: string): never {
    throw new ConfigError(`${this.origin}: ${this.at(key)}: ${message}`);
  }

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    const v = this.map[key];
    return v !== undefined && v !== null;
  }

  keys(): string[] {
    return Object.keys(this.map);
  }

  /** The raw value, marked as read; null counts as absent, as an empty YAML value. */
  raw(key: string): unknown {
    this.seen.add(key);
    const v = this.map[key];
    return v === null ? undefined : v;
  }

  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v !== undefined && typeof v !== 'string') this.fail(key, 'expected a string');
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v !== undefined && typeof v !== 'boolean') this.fail(key, 'expected true or false');
    return v;
  }

  port(key: string): number | undefined {
    const v = this.raw(key);
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65_535)) this.fail(key, 'expected a port from 1 to 65535');
    return v;
  }

  /** A Prometheus duration (`15s`, `1m30s`), in milliseconds; zero is refused. */
  duration(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    const ms = typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null || ms <= 0) this.fail(key, 'expected a duration such as 15s or 1m');
    return ms;
  }

  stringList(key: string): string[] | undefined {
    const v = this.raw(key);
    if (v !== undefined && !(Array.isArray(v) && v.every((s) => typeof s === 'string'))) this.fail(key, 'expected a list of strings');
    return v;
  }

  /** A mapping of strings to strings (labels). */
  stringMap(key: string): Record<string, string> | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!isMapping(v)) this.fail(key, 'expected a mapping of names to strings');
    for (const [name, value] of Object.entries(v)) if (typeof value !== 'string') this.fail(`${key}.${name}`, 'expected a string');
    return v as Record<string, string>;
  }

  /** A nested mapping, read through its own Fields. */
  mapping(key: string): Fields | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    const child = Fields.of(this.origin, this.at(key), v);
    this.children.push(child);
    return child;
  }

  /** A list of mappings, each read through its own Fields. */
  mappings(key: string): Fields[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(key, 'expected a list');
    const list = v.map((item, i) => Fields.of(this.origin, `${this.at(key)}[${i}]`, item));
    this.children.push(...list);
    return list;
  }

  /** Paths of the keys here (and below, when `deep`) that were never read: the fields not supported. */
  unknownKeys(deep = true): string[] {
    const own = Object.keys(this.map).filter((k) => !this.seen.has(k)).map((k) => this.at(k));
    return deep ? [...own, ...this.children.flatMap((c) => c.unknownKeys())] : own;
  }
}
