/** docs/reference.md's flag tables against the flags commander knows: none missing, none invented. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/options.js';

const reference = readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8');

/** Every long flag of the program and of its subcommands (`agent`), with the help flag commander adds. */
function knownFlags(): Set<string> {
  const flags = new Set<string>(['--help']);
  const walk = (command: Command): void => {
    for (const option of command.options) if (option.long) flags.add(option.long);
    for (const sub of command.commands) walk(sub);
  };
  walk(buildProgram());
  return flags;
}

/** The rows of every table whose first column is headed `flag`. */
function flagTableRows(markdown: string): string[] {
  const rows: string[] = [];
  let inFlagTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      inFlagTable = false;
      continue;
    }
    const first = line.split('|')[1]?.trim();
    if (first === 'flag') inFlagTable = true;
    else if (inFlagTable && !/^-+$/.test(first ?? '')) rows.push(line);
  }
  return rows;
}

/** `--name` as written in the tables, inside backticks (so dashes in prose are not read as flags). */
function flagsNamed(rows: string[]): Set<string> {
  const named = new Set<string>();
  for (const row of rows) {
    for (const code of row.matchAll(/`([^`]*)`/g)) {
      for (const flag of (code[1] ?? '').matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)) named.add(flag[0]);
    }
  }
  return named;
}

describe('docs/reference.md', () => {
  const known = knownFlags();
  const rows = flagTableRows(reference);

  it('has flag tables', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(known.size).toBeGreaterThan(30);
  });

  it('names every flag commander knows in its flag tables', () => {
    const firstColumns = flagsNamed(rows.map((row) => `|${row.split('|')[1] ?? ''}|`));
    expect([...known].filter((flag) => !firstColumns.has(flag)).sort()).toEqual([]);
  });

  it('names no flag in its flag tables that commander does not know', () => {
    expect([...flagsNamed(rows)].filter((flag) => !known.has(flag)).sort()).toEqual([]);
  });
});
