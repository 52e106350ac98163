import type { Writable } from 'node:stream';
import { formatDuration, formatUsd } from './format-money.js';

export interface Progress {
  /** `done` cases were finished before this session (a resume). */
  start(total: number, done: number, spendUsd: number, unpricedCalls: number): void;
  caseDone(spendUsd: number, unpricedCalls: number): void;
  /** A line that must not be overwritten by the bar (a retry, a scoring error). */
  note(message: string): void;
  end(): void;
}

export interface ProgressOptions {
  out: Writable;
  /** Redraw one line in place (a terminal) or print a line now and then (a log file, CI). */
  tty: boolean;
  label: string;
  now?: () => number;
  /** Without a terminal: at most one line per this interval, plus one per tenth done (default 15 s). */
  plainIntervalMs?: number;
  /** What is counted (default `cases`). */
  unit?: string;
}

/**
 * Progress of a run on stderr: cases done, ETA from this session's pace (earlier sessions' cases
 * say nothing about how fast the rest will go), and spend so far, models and judges together,
 * naming the calls that could not be priced rather than counting them as free.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const width = 24;
  let total = 0;
  let done = 0;
  let doneAtStart = 0;
  let spend = 0;
  let unpriced = 0;
  let startedAt = 0;
  let lastDraw = 0;
  let lastTenth = -1;
  let drawn = false;

  const line = () => {
    const frac = total > 0 ? done / total : 1;
    const session = done - doneAtStart;
    const elapsed = now() - startedAt;
    const eta = session > 0 ? formatDuration((elapsed / session) * (total - done)) : '?';
    const money = `spend ${formatUsd(spend)}${unpriced ? ` (+${unpriced} unpriced call${unpriced > 1 ? 's' : ''})` : ''}`;
    const bar = options.tty ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
    return `${options.label}: ${bar}${done}/${total} ${options.unit ?? 'cases'}  ${formatDuration(elapsed)} elapsed  ETA ${eta}  ${money}`;
  };

  const draw = (force: boolean) => {
    const t = now();
    if (options.tty) {
      if (!force && t - lastDraw < 100 && done < total) return;
      options.out.write(`\r\x1b[2K${line()}`);
      drawn = true;
    } else {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (!force && tenth === lastTenth && t - lastDraw < (options.plainIntervalMs ?? 15_000)) return;
      lastTenth = tenth;
      options.out.write(`${line()}\n`);
    }
    lastDraw = t;
  };

  return {
    start(t, d, s, u) {
      total = t;
      done = d;
      doneAtStart = d;
      spend = s;
      unpriced = u;
      startedAt = now();
      draw(true);
    },
    caseDone(s, u) {
      done++;
      spend += s;
      unpriced += u;
      draw(done === total);
    },
    note(message) {
      if (options.tty && drawn) options.out.write('\r\x1b[2K');
      options.out.write(`${message}\n`);
      if (options.tty) draw(true);
    },
    end() {
      if (options.tty && drawn) options.out.write('\n');
    },
  };
}

export const silentProgress: Progress = { start() {}, caseDone() {}, note() {}, end() {} };
