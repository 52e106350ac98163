import { z } from 'zod';

/** Budgets, rate limits, price overrides and the incumbent baseline. */
export const costSchema = z.unknown();
