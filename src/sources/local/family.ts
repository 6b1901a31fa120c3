import type { Labels } from '../../exposition/types.js';

/** One metric family as node_exporter exposes it: name, HELP, TYPE and its samples. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: readonly { readonly labels: Labels; readonly value: number }[];
}
