import { describe, expect, it } from 'vitest';
import { frameLayout } from '../../../src/ui/model/layout.js';

const total = (rows: number): number => {
  const l = frameLayout(rows);
  return l.headerLines + (l.statusLine ? 1 : 0) + (l.hintLine ? 1 : 0) + l.body;
};

describe('frameLayout', () => {
  it('uses exactly rows - 1 lines, never the full height', () => {
    for (let rows = 2; rows <= 100; rows++) expect(total(rows)).toBe(rows - 1);
  });

  it('has the full chrome at 24 rows and sheds it on tiny terminals', () => {
    expect(frameLayout(24)).toEqual({ headerLines: 2, statusLine: true, hintLine: true, body: 19 });
    expect(frameLayout(15).body).toBe(10);
    expect(frameLayout(6)).toEqual({ headerLines: 1, statusLine: true, hintLine: false, body: 3 });
    expect(frameLayout(1).body).toBe(0);
  });
});
