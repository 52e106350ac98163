/**
 * A duration the way OpenAI writes it in `x-ratelimit-reset-*` headers: `20ms`, `1s`, `1.5s`,
 * `6m0s`, `1h2m3s` (Go's time.Duration format).
 */
export function formatResetDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Number(((total % 60_000) / 1000).toFixed(3));
  if (hours) return `${hours}h${minutes}m${seconds}s`;
  if (minutes) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
