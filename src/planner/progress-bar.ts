import type { Writable } from 'node:stream';

/**
 * A one-line progress bar redrawn in place on a terminal, at most every 100 ms so that millions of
 * rows do not turn into millions of writes.
 */
export function progressBar(
  out: Writable,
  label: string,
): { update: (done: number, total: number) => void; end: () => void } {
  let last = 0;
  let drawn = false;
  const draw = (done: number, total: number) => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const filled = Math.round(frac * width);
    out.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%`,
    );
    drawn = true;
  };
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    end() {
      if (drawn) out.write('\n');
    },
  };
}
