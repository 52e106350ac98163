import { openAiCsvBucket } from './parse-vendor-usage.js';
import type { BilledCost } from './usage-row.js';
import { readAmount, readText } from './usage-values.js';

function usd(value: unknown, currency: unknown, field: string): number {
  const code = readText(currency)?.toLowerCase();
  if (code && code !== 'usd') throw new Error(`${field} is in ${code}, not USD`);
  return readAmount(value, field) ?? 0;
}

/**
 * One result of OpenAI's Costs API (`GET /v1/organization/costs`): what was billed for the bucket,
 * per line item (`gpt-4o-2024-08-06, input`) and project when grouped. `amount.value` is dollars,
 * sometimes written as a string. https://platform.openai.com/docs/api-reference/usage/costs_object
 */
export function parseOpenAiCostResult(
  r: Record<string, unknown>,
  bucket: { startMs: number; endMs: number },
): BilledCost {
  const amount = (r.amount ?? {}) as Record<string, unknown>;
  return {
    startMs: bucket.startMs,
    endMs: bucket.endMs,
    amountUsd: usd(amount.value, amount.currency, 'amount.value'),
    lineItem: readText(r.line_item),
    project: readText(r.project_id),
  };
}

/**
 * A row of the dashboard's costs CSV export (`amount_value`, `amount_currency`, `line_item` beside
 * the bucket's times). A day nothing was billed has its times and empty amounts: $0 that day.
 */
export function parseOpenAiCostCsvRow(r: Record<string, string>): BilledCost {
  const bucket = openAiCsvBucket(r);
  return {
    startMs: bucket.startMs,
    endMs: bucket.endMs ?? bucket.startMs + 86_400_000,
    amountUsd: usd(r.amount_value, r.amount_currency, 'amount_value'),
    lineItem: readText(r.line_item),
    project: readText(r.project_id),
  };
}
