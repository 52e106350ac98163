/** Resolves true after `ms`, or false as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PaceOptions {
  tokensPerSecond: number;
  jitter: number;
  /** Current share of full speed (capacity pressure); read before every wait. */
  speedFactor: () => number;
  /** Called with each speed factor used, so slow-downs can be reported. */
  onSpeed?: (factor: number) => void;
  signal: AbortSignal;
}

export function jittered(ms: number, jitter: number): number {
  return jitter > 0 ? ms * (1 + jitter * (Math.random() * 2 - 1)) : ms;
}

/**
 * Yields how many decode steps to emit now, until `steps` are done. Several steps come at once when
 * they are due faster than a timer can fire, so a fast simulated model does not become a timer storm.
 * Stops early (without yielding the rest) if the signal aborts.
 */
export async function* paceSteps(steps: number, o: PaceOptions): AsyncGenerator<number> {
  if (steps <= 0) return;
  if (o.tokensPerSecond <= 0) {
    yield steps;
    return;
  }
  let done = 0;
  let credit = 0;
  let last = performance.now();
  while (done < steps) {
    const factor = o.speedFactor();
    o.onSpeed?.(factor);
    const perMs = (o.tokensPerSecond * factor) / 1000;
    const wait = Math.max(1, jittered((1 - credit) / perMs, o.jitter));
    if (!(await sleep(wait, o.signal))) return;
    const now = performance.now();
    credit += (now - last) * perMs;
    last = now;
    const n = Math.min(steps - done, Math.floor(credit));
    if (n <= 0) continue;
    credit -= n;
    done += n;
    yield n;
  }
}
