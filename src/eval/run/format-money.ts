/** Dollars with enough digits to tell small eval spends apart: $0.0042, $12.40. */
export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  const digits = abs === 0 ? 2 : abs < 0.01 ? 5 : abs < 1 ? 4 : 2;
  const s = abs.toFixed(digits);
  return `${usd < 0 && Number(s) !== 0 ? '-' : ''}$${s}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
