import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PriceEntry } from './builtin-prices.js';

/** The file `switchyard prices import` writes and `cost.priceFiles` reads. */
export const PRICE_OVERLAY_FORMAT = 'switchyard-prices/1';

const rate = z.number().nonnegative().optional();
const tierRates = z.object({
  inputPerMillionUsd: z.number().nonnegative(),
  outputPerMillionUsd: z.number().nonnegative(),
  cachedInputPerMillionUsd: rate,
});
const overlaySchema = z.object({
  format: z.literal(PRICE_OVERLAY_FORMAT),
  prices: z.array(
    z.object({
      model: z.string().min(1),
      provider: z.string().min(1),
      aliases: z.array(z.string()).optional(),
      inputPerMillionUsd: rate,
      outputPerMillionUsd: rate,
      cachedInputPerMillionUsd: rate,
      reasoningPerMillionUsd: rate,
      cacheWrite5mPerMillionUsd: rate,
      cacheWrite1hPerMillionUsd: rate,
      tiers: z
        .object({ batch: tierRates.optional(), flex: tierRates.optional(), priority: tierRates.optional() })
        .optional(),
      longContext: tierRates
        .extend({
          aboveInputTokens: z.number().int().positive(),
          cacheWrite5mPerMillionUsd: rate,
          cacheWrite1hPerMillionUsd: rate,
        })
        .optional(),
      source: z.string(),
      retrieved: z.string(),
      note: z.string().optional(),
    }),
  ),
});

export function formatPriceOverlay(entries: readonly PriceEntry[]): string {
  return `${JSON.stringify({ format: PRICE_OVERLAY_FORMAT, prices: entries }, null, 2)}\n`;
}

export function parsePriceOverlay(text: string, path: string): PriceEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = overlaySchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `${path}: not a price file written by 'switchyard prices import' (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  return parsed.data.prices;
}

export function readPriceOverlay(path: string): PriceEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read the price file: ${(err as Error).message}`, { cause: err });
  }
  return parsePriceOverlay(text, path);
}
