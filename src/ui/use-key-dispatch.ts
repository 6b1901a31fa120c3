/**
 * The view's input: ink's chunks of input, mouse reports taken out, each key through the UI state's
 * reducer (input/ui-state.ts), then its effect on the world outside (quit, pause, the interval, a
 * replay's clock). What a key did nothing about shows as a note in the status line for a moment.
 */
import { useEffect, useRef, useState } from 'react';
import { useInput, type Key } from 'ink';
import { reduceKey, splitKeys, stepInterval, type KeyContext, type KeyResult, type UiState } from './input/ui-state.js';
import { MouseInput, reduceMouse, type MouseContext } from './input/mouse.js';

const SEEK_MS = 60_000;

/** What keys do outside the UI state. */
export interface KeyEffects {
  readonly quit: () => void;
  /** Ctrl-Z: give the terminal back and stop. */
  readonly suspend?: () => void;
  /** The display paused (true) or resumed. */
  readonly pause: (paused: boolean) => void;
  /** `[` / `]`, for a replay: its clock moved by `deltaMs`, back when negative; `paused` as the keys left it. */
  readonly seek?: (deltaMs: number, paused: boolean) => void;
  /** `+` / `-`: the refresh interval changed to `ms`. */
  readonly interval?: (ms: number) => void;
}

export interface KeyDispatchInput {
  readonly ui: UiState;
  readonly setUi: (ui: UiState) => void;
  /** The rows and pages as drawn (see useViewModel). */
  readonly keys: KeyContext;
  readonly table: MouseContext['table'];
  /** Whether the display is paused as the frame shows it. */
  readonly paused: boolean;
  readonly effects: KeyEffects;
  /** How long a note stays. */
  readonly noteMs: number;
}

export interface Note {
  readonly text: string;
}

/** Listens to the keys and the mouse; returns the note to show, or null. */
export function useKeyDispatch({ ui, setUi, keys, table, paused, effects, noteMs }: KeyDispatchInput): Note | null {
  // A new object each time, so that a repeated key shows its note anew.
  const [note, setNote] = useState<Note | null>(null);
  // Keys can arrive faster than frames: the handler works on the latest state and rows, not on the
  // ones of the render that made it. `paused` is the keys' own: two `p` in one chunk toggle twice.
  const latest = useRef({ ui, keys, table, paused, note: note !== null });
  latest.current = { ...latest.current, ui, keys, table, note: note !== null };
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), noteMs);
    return () => clearTimeout(timer);
  }, [note, noteMs]);
  const mouse = useRef(new MouseInput());

  const apply = (result: KeyResult): void => {
    const state = latest.current.ui;
    latest.current.ui = result.state;
    if (result.state !== state) setUi(result.state);
  };

  /** The effect of one key; false when the view is left (nothing more may be drawn). */
  const perform = (result: KeyResult): boolean => {
    const now = latest.current;
    switch (result.effect) {
      case 'quit':
        effects.quit();
        return false;
      case 'suspend':
        effects.suspend?.();
        return true;
      case 'pause':
        now.paused = !now.paused;
        effects.pause(now.paused);
        return true;
      case 'back':
      case 'forward':
        effects.seek?.(result.effect === 'back' ? -SEEK_MS : SEEK_MS, now.paused);
        return true;
      case 'longer':
      case 'shorter': {
        const next = stepInterval(now.keys.intervalMs ?? 0, result.effect === 'longer' ? 1 : -1);
        if (next === null) return true;
        now.keys = { ...now.keys, intervalMs: next };
        effects.interval?.(next);
        return true;
      }
      default:
        return true;
    }
  };

  useInput((input: string, key: Key) => {
    const taken = mouse.current.take(input);
    if (taken.event) apply(reduceMouse(latest.current.ui, taken.event, { ...latest.current.keys, table: latest.current.table }));
    if (taken.report && taken.rest === '') return;
    for (const [one, oneKey] of splitKeys(taken.rest, key)) {
      const result = reduceKey(latest.current.ui, one, oneKey, latest.current.keys);
      apply(result);
      // A key clears the note of the key before it. No state is set for nothing: a frame drawn
      // after Ctrl-Z has given the terminal back would land on the shell's screen.
      const leaving = result.effect === 'quit' || result.effect === 'suspend';
      if (!leaving && (result.note || latest.current.note)) {
        setNote(result.note ? { text: result.note } : null);
        latest.current.note = result.note !== undefined;
      }
      if (!perform(result)) return;
    }
  });
  return note;
}
