import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseVolume } from './parse-volume.js';

const volume = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const n = parseVolume(v);
  if (n === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a volume such as 50M` });
    return z.NEVER;
  }
  return n;
});
const share = z.number().min(0).max(1);

export const workloadProfileSchema = z.strictObject({
  dataSensitivity: z.enum(['regulated', 'internal', 'public']).optional(),
  latencyTargetTtftMs: z.number().positive().optional(),
  complexity: z.enum(['narrow', 'mixed', 'multi-step']).optional(),
  mlOpsTeam: z.boolean().optional(),
  needsFineTuning: z.boolean().optional(),
  iteration: z.enum(['stable', 'experimenting']).optional(),
});
export type WorkloadProfile = z.infer<typeof workloadProfileSchema>;

const matchSchema = z.strictObject({
  project: z.string().optional(),
  key: z.string().optional(),
  model: z.string().optional(),
  workload: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type WorkloadMatch = z.infer<typeof matchSchema>;

const pricingSchema = z.strictObject({
  usdPerMillionInput: z.number().nonnegative(),
  usdPerMillionOutput: z.number().nonnegative(),
  usdPerMillionCachedInput: z.number().nonnegative().optional(),
});

export const planConfigSchema = z.strictObject({
  workloads: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        match: matchSchema.prefault({}),
        profile: workloadProfileSchema.prefault({}),
      }),
    )
    .default([]),
  unassignedName: z.string().default('unassigned'),
  defaultProfile: workloadProfileSchema.prefault({}),
  options: z
    .strictObject({
      openModelApi: z
        .union([
          z.strictObject({ model: z.string() }),
          pricingSchema.extend({ name: z.string().default('open-model API') }),
        ])
        .optional(),
      selfHosted: z
        .strictObject({
          model: z.string().default('llama-3.3-70b'),
          gpu: z.string().default('h100'),
          quant: z.enum(['bf16', 'fp8', 'int8', 'awq-int4', 'gguf-q4_k_m']).default('fp8'),
          kvDtype: z.enum(['bf16', 'fp8']).default('fp8'),
          contextTokens: z.number().int().positive().default(8192),
          concurrency: z.number().int().positive().default(32),
          gpuHourlyUsd: z.number().nonnegative().optional(),
          fixedMonthlyUsd: z.number().nonnegative().default(0),
          engineerHoursPerMonth: z.number().nonnegative().default(0),
          engineerHourlyUsd: z.number().nonnegative().default(0),
          opsOverhead: share.default(0),
          replicaOutputTokensPerSecond: z.number().positive().optional(),
          maxUtilisation: z.number().gt(0, 'must be above 0: it divides the throughput').max(1).default(0.7),
          latency: z
            .strictObject({
              ttftP95Ms: z.number().positive().optional(),
              outputTokensPerSecondPerUser: z.number().positive().optional(),
              e2eP95Ms: z.number().positive().optional(),
            })
            .optional(),
        })
        .prefault({}),
      hybridStrongShare: share.optional(),
      migrationUsd: z.number().nonnegative().optional(),
      peakToMean: z.number().min(1, 'a peak is never below the mean').optional(),
      apiPrices: z.record(z.string(), pricingSchema).default({}),
    })
    .prefault({}),
  thresholds: z
    .strictObject({
      volumeTokensPerMonth: volume.default(50_000_000),
      complexityScore: share.default(0.5),
      latencyTtftMs: z.number().positive().default(100),
    })
    .prefault({}),
});

export type PlanConfig = z.output<typeof planConfigSchema>;

export function parsePlanConfig(value: unknown, where = 'plan config'): PlanConfig {
  const parsed = planConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function loadPlanConfig(file: string): Promise<PlanConfig> {
  return parsePlanConfig(parseYaml(await readFile(file, 'utf8')), file);
}
