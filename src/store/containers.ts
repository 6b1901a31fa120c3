/**
 * A node's containers as the store keeps them: the latest table only (no history; it is bounded
 * by MAX_CONTAINERS), with every text from outside made visible as it enters.
 */
import type { ContainerStats, ContainerTable } from '../metrics/container-stats.js';
import { hasUnsafe, visible } from '../util/visible-text.js';

const nullable = (text: string | null): string | null => (text === null ? null : visible(text));

function unsafe(c: ContainerStats): boolean {
  return hasUnsafe(c.id) || hasUnsafe(c.name) || [c.image, c.composeProject, c.composeService].some((t) => t !== null && hasUnsafe(t));
}

/** The table with its names, images and labels visible; the same object when none needs it. */
export function visibleContainers(table: ContainerTable): ContainerTable {
  if (!table.containers.some(unsafe)) return table;
  return {
    ...table,
    containers: table.containers.map((c) =>
      unsafe(c)
        ? { ...c, id: visible(c.id), name: visible(c.name), image: nullable(c.image), composeProject: nullable(c.composeProject), composeService: nullable(c.composeService) }
        : c,
    ),
  };
}
