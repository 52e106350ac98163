import type { Interval } from '../../stats/index.js';

export const score3 = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));

export const signed3 = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(3)}`;

export function interval(i: Interval, signed = false): string {
  const f = signed ? signed3 : (v: number) => v.toFixed(3);
  return `[${f(i.low)}, ${f(i.high)}]`;
}

export function pValue(p: number): string {
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}

export const share = (v: number) => `${(v * 100).toFixed(1)}%`;

export const int = (n: number) => n.toLocaleString('en-US');
