import { describe, expect, it } from 'vitest';
import { chooseColumns, tableWidth, type ColumnId } from '../../../src/ui/model/columns.js';

const ids = (width: number): ColumnId[] => chooseColumns(width).map((c) => c.id);

describe('chooseColumns', () => {
  it('shows every column on a wide terminal', () => {
    expect(ids(160)).toEqual(['name', 'status', 'cpu', 'spark', 'mem', 'load', 'rx', 'tx', 'read', 'write', 'uptime']);
  });

  it('drops the sparkline first, then uptime, disk, network and load', () => {
    expect(ids(80)).toEqual(['name', 'status', 'cpu', 'mem', 'load', 'rx', 'tx', 'read', 'write']);
    expect(ids(70)).toEqual(['name', 'status', 'cpu', 'mem', 'load', 'rx', 'tx']);
    expect(ids(60)).toEqual(['name', 'status', 'cpu', 'mem', 'load']);
    expect(ids(45)).toEqual(['name', 'status', 'cpu', 'mem']);
  });

  it('keeps name and CPU however narrow', () => {
    expect(ids(20)).toEqual(['name', 'cpu']);
  });

  it('never needs more than the width once the name and CPU fit', () => {
    for (let width = 30; width <= 240; width++) expect(tableWidth(chooseColumns(width))).toBeLessThanOrEqual(width);
  });

  it('gives spare width to the name and the CPU history', () => {
    const narrow = chooseColumns(100);
    const wide = chooseColumns(200);
    const width = (cols: typeof narrow, id: ColumnId): number => cols.find((c) => c.id === id)?.width ?? 0;
    expect(width(wide, 'name')).toBeGreaterThan(width(narrow, 'name'));
    expect(width(wide, 'spark')).toBeGreaterThan(width(narrow, 'spark'));
  });

  describe('with Kubernetes', () => {
    const kubeIds = (width: number): ColumnId[] => chooseColumns(width, true).map((c) => c.id);

    it('adds STATUS (conditions), ROLES and PODS, and calls the scrape status SCRAPE', () => {
      expect(kubeIds(160)).toEqual(['name', 'ready', 'roles', 'status', 'cpu', 'spark', 'mem', 'pods', 'load', 'rx', 'tx', 'read', 'write', 'uptime']);
      const titles = Object.fromEntries(chooseColumns(160, true).map((c) => [c.id, c.title]));
      expect(titles).toMatchObject({ ready: 'STATUS', roles: 'ROLES', status: 'SCRAPE', pods: 'PODS' });
      expect(chooseColumns(160).find((c) => c.id === 'status')?.title).toBe('STATUS');
    });

    it('drops the sparkline, uptime, disk, network, load, scrape, roles, pods and memory in that order', () => {
      expect(kubeIds(120)).toEqual(['name', 'ready', 'roles', 'status', 'cpu', 'mem', 'pods', 'load', 'rx', 'tx', 'read', 'write']);
      expect(kubeIds(100)).toEqual(['name', 'ready', 'roles', 'status', 'cpu', 'mem', 'pods', 'load']);
      expect(kubeIds(80)).toEqual(['name', 'ready', 'roles', 'cpu', 'mem', 'pods']);
      expect(kubeIds(70)).toEqual(['name', 'ready', 'cpu', 'mem', 'pods']);
      expect(kubeIds(60)).toEqual(['name', 'ready', 'cpu', 'mem']);
      expect(kubeIds(50)).toEqual(['name', 'ready', 'cpu']);
      expect(kubeIds(30)).toEqual(['name', 'cpu']);
    });

    it('never needs more than the width once the name and CPU fit', () => {
      for (let width = 30; width <= 240; width++) expect(tableWidth(chooseColumns(width, true))).toBeLessThanOrEqual(width);
    });

    it('gives spare width to the conditions so Ready,SchedulingDisabled fits', () => {
      expect(chooseColumns(160, true).find((c) => c.id === 'ready')?.width).toBe('Ready,SchedulingDisabled'.length);
    });
  });
});
