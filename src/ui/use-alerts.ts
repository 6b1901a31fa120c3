/** The alerts a frame shows: live, or as they were when the display was paused. */
import { useMemo, useRef } from 'react';
import type { Alert } from '../alerts/evaluator.js';
import type { AlertList } from '../alerts/monitor.js';

export interface ShownAlerts {
  readonly list: readonly Alert[];
  readonly firing: number;
  /** Ids of the nodes with a firing alert. */
  readonly alerting: ReadonlySet<string>;
}

const NONE: readonly Alert[] = [];

export function useAlerts(source: AlertList | undefined, paused: boolean): ShownAlerts {
  const frozen = useRef<readonly Alert[] | null>(null);
  const live = source?.list() ?? NONE;
  // Taken on the first paused frame, as the frame itself is: the panel stops with the table.
  if (!paused) frozen.current = null;
  else if (frozen.current === null) frozen.current = live;
  const list = frozen.current ?? live;
  return useMemo(() => {
    const firing = list.filter((a) => a.state === 'firing');
    return { list, firing: firing.length, alerting: new Set(firing.map((a) => a.nodeId)) };
  }, [list]);
}
