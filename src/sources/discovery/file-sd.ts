/**
 * file_sd: target groups in JSON or YAML files (`[{targets: [host:port…], labels: {…}}]`), `*` allowed
 * in the last path element. The files are read again when they change (fs.watch on their
 * directories) and every refresh_interval besides, for file systems where watching does not work.
 * A file that cannot be read or parsed keeps its last good targets and says so.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { describeFsError } from '../../util/fs-error.js';
import type { Target } from '../../targets/target.js';
import { ConfigError, Fields, parseYaml } from './config-fields.js';
import { discoveredTarget, type TargetTemplate } from './discovered-target.js';
import { readLabels } from './job-config.js';
import { reasonOf, type TargetProvider } from './provider.js';

/** A burst of events (truncate, write, rename) becomes one read, once the writer is done. */
const SETTLE_MS = 50;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export class FileSdProvider implements TargetProvider {
  readonly refreshMs: number;
  private readonly patterns: readonly string[];
  private readonly template: TargetTemplate;
  private readonly found = new Map<string, readonly Target[]>();
  private readonly problems = new Map<string, string>();
  private readonly watchers: FSWatcher[] = [];
  private settle: NodeJS.Timeout | undefined;
  private current: readonly Target[] = [];

  /** `patterns` are absolute (relative ones resolved against the config file's directory). */
  constructor(patterns: readonly string[], template: TargetTemplate, refreshMs: number) {
    this.patterns = patterns;
    this.template = template;
    this.refreshMs = refreshMs;
  }

  get targets(): readonly Target[] {
    return this.current;
  }

  get notice(): string | undefined {
    return this.problems.size === 0 ? undefined : [...this.problems.values()].join('; ');
  }

  async refresh(): Promise<void> {
    const files = (await Promise.all(this.patterns.map(expand))).flat();
    for (const file of [...this.found.keys()]) if (!files.includes(file)) this.found.delete(file);
    for (const file of [...this.problems.keys()]) if (!files.includes(file)) this.problems.delete(file);
    await Promise.all(files.map((file) => this.read(file)));
    this.current = [...new Set(files)].flatMap((file) => this.found.get(file) ?? []);
  }

  watch(changed: () => void): void {
    const onEvent = (): void => {
      clearTimeout(this.settle);
      this.settle = setTimeout(changed, SETTLE_MS);
    };
    for (const dir of new Set(this.patterns.map(dirname))) {
      try {
        const watcher = watch(dir, { persistent: false }, onEvent);
        // A watch that breaks (the directory removed) leaves the periodic refresh to do the work.
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // Not watchable (missing, or a file system without events): the periodic refresh covers it.
      }
    }
  }

  close(): void {
    clearTimeout(this.settle);
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
  }

  private async read(file: string): Promise<void> {
    try {
      this.found.set(file, await readGroups(file, this.template));
      this.problems.delete(file);
    } catch (error) {
      const kept = this.found.get(file)?.length ?? 0;
      const reason = error instanceof ConfigError ? error.message : `${file}: ${reasonOf(error)}`;
      this.problems.set(file, this.found.has(file) ? `${reason} (keeping its last ${kept} target${kept === 1 ? '' : 's'})` : reason);
    }
  }
}

/** The files a pattern names now, sorted; a pattern without `*` is the file itself, if it exists. */
async function expand(pattern: string): Promise<string[]> {
  const dir = dirname(pattern);
  const glob = basename(pattern);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // a directory that does not exist yet holds no targets yet
  }
  const re = new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  return names.filter((n) => re.test(n)).sort().map((n) => `${dir}/${n}`);
}

/** A file's target groups as targets; a ConfigError names the file and the field. */
export async function readGroups(file: string, template: TargetTemplate): Promise<Target[]> {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.byteLength > MAX_FILE_BYTES) throw new ConfigError(`${file}: larger than 16 MiB, not a file_sd file`);
    text = buf.toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${file}: ${describeFsError(error)}`);
  }
  const doc = parseYaml(text, file);
  // An empty file is an empty list: a file_sd file may well be emptied to say "no targets".
  if (doc !== null && doc !== undefined && !Array.isArray(doc)) throw new ConfigError(`${file}: expected a list of target groups`);
  const groups: unknown[] = Array.isArray(doc) ? doc : [];
  const targets: Target[] = [];
  groups.forEach((item, i) => {
    const group = Fields.of(file, `[${i}]`, item);
    const labels = readLabels(group, 'labels');
    (group.stringList('targets') ?? []).forEach((address, j) => {
      try {
        targets.push(discoveredTarget(template, address, labels));
      } catch (error) {
        group.fail(`targets[${j}]`, reasonOf(error));
      }
    });
  });
  return targets;
}
