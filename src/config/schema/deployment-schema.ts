import { z } from 'zod';

export const timeoutsSchema = z.strictObject({
  connectMs: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe(
      'TCP/TLS connect only; waiting for an answer is bounded by firstTokenMs (streams) and totalMs.',
    ),
  firstTokenMs: z
    .number()
    .int()
    .positive()
    .default(30_000)
    .describe('Streams: budget from send to the first content token; headers are held until then.'),
  idleMs: z.number().int().positive().default(30_000).describe('Longest silence between two stream events.'),
  totalMs: z
    .number()
    .int()
    .positive()
    .default(600_000)
    .describe('Whole call, send to last byte; the only limit on a non-streamed answer.'),
});

export const tokenPricesSchema = z.strictObject({
  inputPerMillionUsd: z.number().nonnegative().optional(),
  outputPerMillionUsd: z.number().nonnegative().optional(),
  cachedInputPerMillionUsd: z.number().nonnegative().optional(),
  reasoningPerMillionUsd: z.number().nonnegative().optional(),
});

export const selfHostedSchema = z.strictObject({
  gpu: z.string().optional().describe('GPU id from the capacity catalogue, e.g. h100, l4.'),
  gpuCount: z.number().int().positive().default(1),
  gpuHourlyUsd: z.number().nonnegative(),
  fixedMonthlyUsd: z.number().nonnegative().default(0),
  engineerHoursPerMonth: z.number().nonnegative().default(0),
  engineerHourlyUsd: z.number().nonnegative().default(0),
  opsOverheadPct: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Operations overhead, percent of GPU + fixed (on-call, monitoring, spares).'),
  capacityConcurrency: z.number().int().positive().optional(),
});

export const deploymentSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._:/-]+$/, 'use letters, digits and . _ : / -'),
  provider: z.string().default('openai-compatible').describe('Adapter: openai-compatible or anthropic.'),
  vendor: z
    .string()
    .optional()
    .describe(
      'Quirks profile for openai-compatible: openai, azure, vllm, groq, together, ... or a `vendors:` entry.',
    ),
  baseUrl: z.url().describe('Base URL including the version prefix, e.g. http://localhost:8000/v1.'),
  model: z.string().min(1).describe('Model name sent upstream.'),
  apiKeyEnv: z.string().optional().describe('Name of the environment variable holding the API key.'),
  azure: z.strictObject({ deployment: z.string(), apiVersion: z.string().default('2024-10-21') }).optional(),
  anthropicVersion: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
  location: z.enum(['internal', 'external']).default('external'),
  tags: z.record(z.string(), z.string()).default({}),
  prices: tokenPricesSchema.optional(),
  selfHosted: selfHostedSchema.optional(),
  maxConcurrency: z.number().int().positive().optional(),
  contextWindow: z.number().int().positive().optional(),
  healthPath: z.string().optional(),
  metricsPath: z.string().optional(),
  weight: z.number().nonnegative().default(1),
  logBodies: z.boolean().default(false),
});

export type DeploymentConfig = z.infer<typeof deploymentSchema>;
