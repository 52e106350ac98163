import { z } from 'zod';

/**
 * Gated cutovers: per route, traffic moves from a baseline deployment to a candidate in stages that
 * advance only while quality, errors and latency hold. Defaults and their rationale are in
 * docs/rollouts.md; cross-references (route ids, deployment ids) are checked by
 * `checkRolloutReferences` when the config is resolved.
 */

/** The shares a rollout moves through unless told otherwise, in percent of the route's traffic. */
export const DEFAULT_STAGE_PERCENTS = [1, 5, 25, 50, 100] as const;

const percent = z
  .number({ error: 'a stage is a percentage of traffic between 0 and 100' })
  .min(0, 'a stage is a percentage of traffic between 0 and 100')
  .max(100, 'a stage is a percentage of traffic between 0 and 100');

const alpha = z
  .number()
  .gt(0, 'alpha must be above 0')
  .lt(1, 'alpha must be below 1')
  .default(0.05)
  .describe('Chance that the bound is wrong at any check, however many checks are made.');

export const rolloutStageSchema = z.union(
  [
    percent,
    z.strictObject({
      percent,
      minDwellMinutes: z
        .number()
        .nonnegative()
        .optional()
        .describe('Overrides the rollout’s minDwellMinutes.'),
      minRequests: z.number().int().nonnegative().optional().describe('Overrides the rollout’s minRequests.'),
    }),
  ],
  { error: 'a stage is a percentage (5) or { percent: 5, minDwellMinutes?, minRequests? }' },
);

export const qualityGateSchema = z.strictObject({
  margin: z
    .number()
    .min(0)
    .max(1)
    .default(0.01)
    .describe(
      'Non-inferiority margin on the mean paired score difference (candidate − baseline, scores in [0, 1]): the gate passes once the lower bound is above −margin.',
    ),
  alpha,
  minPairs: z
    .number()
    .int()
    .nonnegative()
    .default(200)
    .describe('Judged pairs needed before the gate may pass (it may fail earlier).'),
  window: z
    .enum(['rollout', 'stage'], { error: "use 'rollout' or 'stage'" })
    .default('rollout')
    .describe(
      "Pairs counted since the rollout started ('rollout') or since the current stage began ('stage').",
    ),
});

export const errorRateGateSchema = z.strictObject({
  max: z.number().min(0).max(1).default(0.02).describe('Highest acceptable share of failed candidate calls.'),
  alpha,
});

export const latencyGateSchema = z.strictObject({
  p95MaxMs: z.number().positive().describe('Highest acceptable 95th percentile, in milliseconds.'),
  alpha,
});

const disabled = z.literal(false);

export const rolloutGatesSchema = z.strictObject({
  quality: z
    .union([disabled, qualityGateSchema], {
      error: 'quality is false or { margin, alpha, minPairs, window }',
    })
    .default(qualityGateSchema.parse({}))
    .describe('Judged candidate-vs-baseline pairs (shadow or live); false turns the gate off.'),
  errorRate: z
    .union([disabled, errorRateGateSchema], { error: 'errorRate is false or { max, alpha }' })
    .default(errorRateGateSchema.parse({})),
  latency: latencyGateSchema.optional().describe('p95 of candidate request latency.'),
  ttft: latencyGateSchema.optional().describe('p95 of candidate time to first token (streamed requests).'),
});

export const rolloutRollbackSchema = z.strictObject({
  afterFailedChecks: z
    .number()
    .int()
    .positive()
    .default(3)
    .describe('Consecutive checks with a failing gate that roll the rollout back.'),
  to: z
    .enum(['zero', 'previous'], { error: "use 'zero' or 'previous'" })
    .default('zero')
    .describe("'zero': all traffic back to the baseline; 'previous': the last stage that passed."),
});

export const rolloutWebhookSchema = z.strictObject({
  url: z.url().describe('POSTed a JSON description of every transition.'),
  timeoutMs: z.number().int().positive().default(5_000),
  maxAttempts: z
    .number()
    .int()
    .positive()
    .default(4)
    .describe('Deliveries tried, with backoff, before giving up.'),
});

export const rolloutSchema = z
  .strictObject({
    route: z.string().min(1).describe('Id of the route whose traffic moves.'),
    baseline: z.string().min(1).describe('Deployment id serving the route today.'),
    candidate: z.string().min(1).describe('Deployment id taking over.'),
    stages: z
      .array(rolloutStageSchema)
      .min(1, 'list at least one stage')
      .default([...DEFAULT_STAGE_PERCENTS])
      .describe('Candidate shares in percent, in increasing order.'),
    minDwellMinutes: z.number().nonnegative().default(30).describe('Least time spent in each stage.'),
    minRequests: z
      .number()
      .int()
      .nonnegative()
      .default(200)
      .describe('Least candidate requests served in each stage with traffic.'),
    checkIntervalSeconds: z.number().positive().default(60).describe('How often the gates are checked.'),
    sticky: z
      .enum(['user', 'session'], { error: "use 'user' or 'session'" })
      .default('user')
      .describe('Which id keeps a caller on one arm first; the other, then the request id, stand in.'),
    gates: rolloutGatesSchema.default(rolloutGatesSchema.parse({})),
    rollback: rolloutRollbackSchema.default(rolloutRollbackSchema.parse({})),
    dryRun: z
      .boolean()
      .default(false)
      .describe('Evaluate gates and record decisions without moving traffic.'),
    webhook: rolloutWebhookSchema.optional(),
  })
  .superRefine((rollout, ctx) => {
    if (rollout.baseline === rollout.candidate)
      ctx.addIssue({
        code: 'custom',
        path: ['candidate'],
        message: 'the candidate is the baseline; name the deployment that takes over',
      });
    const percents = rollout.stages.map((s) => (typeof s === 'number' ? s : s.percent));
    percents.forEach((p, i) => {
      if (i > 0 && p <= percents[i - 1])
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i],
          message: `stage ${p}% does not come after ${percents[i - 1]}%; list stages in increasing order`,
        });
    });
  });

export const rolloutsSchema = z
  .array(rolloutSchema)
  .default([])
  .superRefine((rollouts, ctx) => {
    const seen = new Set<string>();
    rollouts.forEach((r, i) => {
      if (seen.has(r.route))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'route'],
          message: `route '${r.route}' has two rollouts; a route moves to one candidate at a time`,
        });
      seen.add(r.route);
    });
  });

export type RolloutConfigInput = z.input<typeof rolloutSchema>;
export type ParsedRollout = z.infer<typeof rolloutSchema>;

/**
 * Problems with what rollouts name: an unknown route, or a baseline or candidate that is not a
 * configured deployment. Returned as messages for the config loader to report with the others.
 */
export function checkRolloutReferences(
  rollouts: readonly ParsedRollout[],
  known: { routeIds: ReadonlySet<string>; deploymentIds: ReadonlySet<string> },
): string[] {
  const issues: string[] = [];
  rollouts.forEach((r, i) => {
    if (!known.routeIds.has(r.route))
      issues.push(`rollouts[${i}].route: no route with id '${r.route}'; add it under 'routes:'`);
    for (const arm of ['baseline', 'candidate'] as const)
      if (!known.deploymentIds.has(r[arm]))
        issues.push(`rollouts[${i}].${arm}: no deployment with id '${r[arm]}'; add it under 'deployments:'`);
  });
  return issues;
}
