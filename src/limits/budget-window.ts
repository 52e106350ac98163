import type { BudgetWindow } from '../config/schema/cost-schema.js';

export interface WindowBounds {
  startMs: number;
  endMs: number;
}

const HOUR_MS = 3_600_000;

/** The window containing `nowMs`: UTC calendar day or month, or fixed blocks of hours since the epoch. */
export function budgetWindowAt(window: BudgetWindow, nowMs: number): WindowBounds {
  const d = new Date(nowMs);
  if (window === 'daily') {
    const startMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { startMs, endMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) };
  }
  if (window === 'monthly') {
    const startMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return { startMs, endMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
  }
  const lengthMs = window.hours * HOUR_MS;
  const startMs = Math.floor(nowMs / lengthMs) * lengthMs;
  return { startMs, endMs: startMs + lengthMs };
}
