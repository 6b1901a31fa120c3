import { readFile } from 'node:fs/promises';
import type { Target } from './target.js';
import { parseTarget, TargetError } from './parse-target.js';
import { describeFsError } from '../util/fs-error.js';

/** Largest targets file read: a list of a hundred thousand hosts fits many times over. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Reads a targets file: one target per line, `#` starts a comment, blank lines are skipped. */
export async function readTargetsFile(path: string): Promise<Target[]> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.byteLength > MAX_FILE_BYTES) throw new TargetError(`${path}: larger than 16 MiB, not a targets file`);
    if (buf.includes(0)) throw new TargetError(`${path}: binary data, not a targets file`);
    text = buf.toString('utf8');
  } catch (error) {
    if (error instanceof TargetError) throw error;
    throw new TargetError(`cannot read targets file ${path}: ${describeFsError(error)}`);
  }
  return parseTargetsText(text, path);
}

export function parseTargetsText(text: string, origin: string): Target[] {
  const targets: Target[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/#.*$/, '').trim();
    if (line === '') continue;
    try {
      targets.push(parseTarget(line));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TargetError(`${origin}:${i + 1}: ${reason}`);
    }
  }
  return targets;
}

/**
 * Drops repeated targets (same URL), keeping the first: scraping a node twice would double it.
 * `warn` hears of each one dropped, and whether it came with other credentials (never which).
 */
export function uniqueTargets(targets: readonly Target[], warn: (line: string) => void = () => {}): Target[] {
  const seen = new Map<string, Target>();
  return targets.filter((t) => {
    const kept = seen.get(t.id);
    if (!kept) {
      seen.set(t.id, t);
      return true;
    }
    const other = kept.url.username !== t.url.username || kept.url.password !== t.url.password;
    warn(`${t.displayUrl} is given twice${other ? ' with other credentials' : ''}: scraped once, with the first`);
    return false;
  });
}
