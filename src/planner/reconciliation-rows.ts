import { formatUsd } from './format-usd.js';
import type { Reconciliation } from './usage-audit.js';

/** The billed-against-computed table as the Markdown and HTML reports print it: label, USD. */
export function reconciliationRows(rec: Reconciliation): string[][] {
  const share = rec.differenceShare === null ? '' : ` (${(rec.differenceShare * 100).toFixed(1)}%)`;
  return [
    [`billed (cost export), ${rec.days} day(s)`, formatUsd(rec.billedUsd)],
    ['computed from usage, same days', formatUsd(rec.computedUsd)],
    ['difference', `${formatUsd(rec.differenceUsd)}${share}`],
    ...rec.byLineItem.map((l) => [`billed: ${l.lineItem}`, formatUsd(l.usd)]),
  ];
}
