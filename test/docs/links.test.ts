/** Every relative link in README.md, CONTRIBUTING.md and docs/*.md points at a file, and an anchor at a heading, that exist. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, (code) => (code.includes('](') ? '' : code));
}

/** GitHub's anchors for a file's headings: lowercase, punctuation dropped, spaces to `-`, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of markdown.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = (heading[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

/** The targets of `[text](target)` links that stay in this repository. */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const m of prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] ?? '';
    if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
  }
  return links;
}

describe('the documentation links', () => {
  it('finds the documents and their links', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/reference.md', 'docs/guide.md']));
    expect(relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(5);
  });

  it('slugs headings as GitHub does', () => {
    expect([...anchors('## `cluster-top agent`: serve this machine\'s metrics\n## JSON snapshot (`--once -o json`)\n## A b\n## A b\n')]).toEqual([
      'cluster-top-agent-serve-this-machines-metrics',
      'json-snapshot---once--o-json',
      'a-b',
      'a-b-1',
    ]);
  });

  for (const doc of DOCS) {
    it(`${doc}: every relative link points at a file and heading that exist`, () => {
      const broken: string[] = [];
      for (const link of relativeLinks(readFileSync(join(ROOT, doc), 'utf8'))) {
        const [path = '', anchor] = link.split('#', 2);
        const file = path === '' ? join(ROOT, doc) : join(ROOT, dirname(doc), decodeURIComponent(path));
        if (!existsSync(file)) {
          broken.push(`${link}: no file ${relative(ROOT, file)}`);
          continue;
        }
        if (anchor !== undefined && file.endsWith('.md') && statSync(file).isFile() && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${link}: no heading #${anchor} in ${relative(ROOT, file)}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
