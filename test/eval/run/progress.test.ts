import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/eval/run/progress.js';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  return { out, text: () => text };
}

describe('progress', () => {
  it('redraws one line in place on a terminal, with ETA from this session and spend so far', () => {
    const { out, text } = capture();
    let t = 0;
    const p = createProgress({ out, tty: true, label: 'eval ev-1', now: () => t });
    p.start(10, 4, 0.5, 1);
    t = 30_000;
    p.caseDone(0.25, 0);
    t = 60_000;
    p.caseDone(0.25, 0);
    p.end();
    const frames = text().split('\r\x1b[2K').filter(Boolean);
    // 2 cases in 60 s this session, 4 to go: 2 minutes.
    expect(frames.at(-1)).toBe(
      'eval ev-1: [##############..........] 6/10 cases  1m00s elapsed  ETA 2m00s  spend $1.00 (+1 unpriced call)\n',
    );
  });

  it('prints plain lines without a terminal, at most one per tenth done or interval', () => {
    const { out, text } = capture();
    let t = 0;
    const p = createProgress({ out, tty: false, label: 'eval ev-2', now: () => t, plainIntervalMs: 60_000 });
    p.start(100, 0, 0, 0);
    for (let i = 0; i < 100; i++) {
      t += 100;
      p.caseDone(0.001, 0);
    }
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe('eval ev-2: 100/100 cases  10s elapsed  ETA 0s  spend $0.1000');
  });
});
