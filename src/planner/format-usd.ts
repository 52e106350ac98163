/**
 * Money as a finance reader writes it, one format in every report: the sign before the dollar sign,
 * thousands separated, whole dollars from $100 up (`-$1,964`, `$15,082`), cents below ($4.38), and
 * four decimals under a dollar so per-request figures do not round to nothing ($0.0035).
 */
export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 4;
  return withSign(usd, abs, digits, '$0');
}

/**
 * Money in a formula a reader recomputes by hand: always cents, same sign and separators
 * (`-$1,963.95`, `$8,730.80`); amounts under a cent keep four decimals.
 */
export function formatUsdCents(usd: number): string {
  const abs = Math.abs(usd);
  return withSign(usd, abs, abs > 0 && abs < 0.01 ? 4 : 2, '$0.00');
}

/**
 * A per-million-token rate: cents at least, and as many decimals (up to four) as the list price
 * has, so $0.075 is not shown as $0.08 (`$2.50`, `$0.075`, `$0.0375`).
 */
export function formatUsdRate(usdPerMillion: number): string {
  const abs = Math.abs(usdPerMillion);
  const text = abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  return `${usdPerMillion < 0 ? '-' : ''}$${text}`;
}

function withSign(usd: number, abs: number, digits: number, zero: string): string {
  // Anything that rounds to zero prints as $0 (or $0.00 in a formula), never -$0.
  if (abs < 0.5 * 10 ** -digits) return zero;
  const text = abs.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${usd < 0 ? '-' : ''}$${text}`;
}

/**
 * A monthly difference in words: `saves $2,618/month` or `costs $9,743 more per month`, never a
 * negative saving; with what it is compared to when the sentence does not already say.
 */
export function describeSaving(savingsUsd: number, against?: string): string {
  const amount = formatUsd(Math.abs(savingsUsd));
  if (amount === '$0') return against ? `costs the same as ${against}` : 'costs the same per month';
  if (savingsUsd > 0) return `saves ${amount}/month${against ? ` against ${against}` : ''}`;
  return `costs ${amount} more per month${against ? ` than ${against}` : ''}`;
}
