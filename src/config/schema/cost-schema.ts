import { z } from 'zod';
import { tokenPricesSchema } from './deployment-schema.js';

/** A price entered by hand: per-million figures, with where they came from. */
export const priceOverrideSchema = tokenPricesSchema.extend({
  source: z.string().optional().describe('Where the figure comes from (URL or contract).'),
  retrieved: z.string().optional().describe('Date the figure was read, YYYY-MM-DD.'),
});

export const budgetWindowSchema = z.union([
  z.enum(['daily', 'monthly']),
  z.strictObject({ hours: z.number().positive() }),
]);

export const budgetSchema = z.strictObject({
  id: z.string().min(1).describe('Named in errors, alerts and metrics.'),
  scope: z.enum(['global', 'key', 'team', 'workload']),
  match: z
    .string()
    .optional()
    .describe('Only this key id, team or workload; without it each one gets its own budget.'),
  window: budgetWindowSchema.describe("'daily' and 'monthly' follow UTC calendar days and months."),
  limitUsd: z.number().positive(),
  mode: z.enum(['hard', 'soft']).default('hard').describe('hard: refuse with 429; soft: alert only.'),
  alertWebhook: z.url().optional().describe('POSTed a JSON alert at 50, 80 and 100% of the limit.'),
});

export const rateLimitSchema = z
  .strictObject({
    scope: z.enum(['key', 'team', 'deployment']),
    match: z.string().optional().describe('Only this key id, team or deployment; without it, each one.'),
    requestsPerMinute: z.number().positive().optional(),
    tokensPerMinute: z.number().positive().optional(),
  })
  .refine((r) => r.requestsPerMinute !== undefined || r.tokensPerMinute !== undefined, {
    message: 'set requestsPerMinute, tokensPerMinute or both',
  });

export const baselineSchema = z.strictObject({
  model: z.string().min(1).describe('The incumbent API model savings are measured against, e.g. gpt-4o.'),
});

const costObjectSchema = z
  .strictObject({
    baseline: baselineSchema.optional(),
    prices: z
      .record(z.string(), priceOverrideSchema)
      .default({})
      .describe('Per-model prices that win over the built-in catalogue.'),
    priceFiles: z
      .array(z.string())
      .default([])
      .describe('Price files written by `switchyard prices import`; later files win.'),
    budgets: z.array(budgetSchema).default([]),
    rateLimits: z.array(rateLimitSchema).default([]),
    defaultMaxTokens: z
      .number()
      .int()
      .positive()
      .default(4096)
      .describe('Output tokens assumed when estimating a request that sets no max_tokens.'),
    hoursPerMonth: z
      .number()
      .positive()
      .default(730)
      .describe('Hours in a billing month for self-hosted cost (8760 / 12).'),
  })
  .superRefine((cost, ctx) => {
    const seen = new Set<string>();
    cost.budgets.forEach((b, i) => {
      if (seen.has(b.id))
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', i, 'id'],
          message: `'${b.id}' is used twice; budget ids must be unique`,
        });
      seen.add(b.id);
      if (b.scope === 'global' && b.match !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', i, 'match'],
          message: 'a global budget matches everything; remove match',
        });
    });
  });

/** Budgets, rate limits, price overrides and the incumbent baseline. */
export const costSchema = costObjectSchema.default(() => costObjectSchema.parse({}));

export type CostConfig = z.infer<typeof costSchema>;
export type BudgetConfig = z.infer<typeof budgetSchema>;
export type BudgetWindow = z.infer<typeof budgetWindowSchema>;
export type RateLimitConfig = z.infer<typeof rateLimitSchema>;
export type PriceOverride = z.infer<typeof priceOverrideSchema>;
