import { MAX_PLACEHOLDER_LENGTH, restore, type RedactionMap } from './redact-text.js';

export interface StreamRestorer {
  /** Text to emit for this delta; a trailing piece that may be the start of a placeholder is held. */
  push(delta: string): string;
  /** Whatever is still held, at the end of the stream. */
  flush(): string;
}

const PARTIAL = /^\[[A-Z_]*\d*$/;

/**
 * Restores placeholders in streamed deltas. A model may emit `[EMA` in one chunk and `IL_1]` in the
 * next, so a tail that could still grow into a placeholder is held back until it either completes
 * or cannot; at most one placeholder's length is ever delayed.
 */
export function createStreamRestorer(
  map: RedactionMap,
  escape?: (original: string) => string,
): StreamRestorer {
  let held = '';
  return {
    push(delta) {
      if (map.size === 0) return delta;
      const text = held + delta;
      const open = text.lastIndexOf('[');
      if (open !== -1 && text.length - open <= MAX_PLACEHOLDER_LENGTH && PARTIAL.test(text.slice(open))) {
        held = text.slice(open);
        return restore(text.slice(0, open), map, escape);
      }
      held = '';
      return restore(text, map, escape);
    },
    flush() {
      const rest = held;
      held = '';
      return restore(rest, map, escape);
    },
  };
}
