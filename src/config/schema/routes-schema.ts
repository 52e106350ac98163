import { z } from 'zod';

/**
 * Route policies. Evaluated in order; the first whose `match` holds decides where a request goes.
 * Deployment ids and public model names are both accepted wherever a target names a backend; a model
 * name stands for its whole pool. Cross-references are checked when the routing table is compiled.
 */

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'use a string or a list of strings (globs with * and ? are allowed)',
});

const dataClass = z.enum(['restricted', 'normal'], { error: "use 'restricted' or 'normal'" });

export const routeMatchSchema = z.strictObject({
  model: stringOrList.optional().describe('Public model name(s) requested; globs allowed.'),
  key: stringOrList.optional().describe('API key id(s).'),
  team: stringOrList.optional(),
  workload: stringOrList.optional().describe('Workload tag(s) of the key or request.'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('Request headers that must be present with these values (globs allowed).'),
  dataClass: dataClass.optional(),
  minPromptTokens: z.number().int().nonnegative().optional(),
  maxPromptTokens: z.number().int().nonnegative().optional(),
  hasTools: z.boolean().optional(),
  jsonSchema: z
    .boolean()
    .optional()
    .describe('The request asks for JSON output (json_object or json_schema).'),
  minComplexity: z.number().min(0).max(1).optional(),
  maxComplexity: z.number().min(0).max(1).optional(),
});

const backendRef = z.string().min(1, 'name a deployment id or a public model name');

export const splitEntrySchema = z.strictObject({
  deployment: backendRef,
  weight: z.number().nonnegative({ error: 'weight must be zero or more' }),
});

const deploymentTarget = z.strictObject({ deployment: backendRef });
const splitTarget = z.strictObject({
  split: z.array(splitEntrySchema).min(1, 'a split needs at least one entry'),
  sticky: z
    .string()
    .min(1)
    .optional()
    .describe("'user', 'session' or a header name whose value keeps a conversation on one backend."),
});
const fallbackTarget = z.strictObject({
  fallback: z.array(backendRef).min(1, 'a fallback chain needs at least one entry'),
});

const TARGET_HINT =
  'a target is one of { deployment: ID }, { split: [{ deployment, weight }], sticky? }, { fallback: [ID, ...] }';

export const simpleTargetSchema = z.union([deploymentTarget, splitTarget, fallbackTarget], {
  error: TARGET_HINT,
});

const autoTarget = z.strictObject({
  auto: z.strictObject({
    weak: simpleTargetSchema,
    strong: simpleTargetSchema,
    threshold: z.number().min(0).max(1).optional().describe('Scores at or above it go to the strong target.'),
    strongShare: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Target share of strong calls; sets the threshold when `threshold` is absent.'),
    targetCost: z
      .strictObject({
        targetUsdPerMTok: z.number().nonnegative().describe('Blended price per million tokens to aim for.'),
        weakUsdPerMTok: z
          .number()
          .nonnegative()
          .optional()
          .describe("Defaults to the weak deployment's prices."),
        strongUsdPerMTok: z
          .number()
          .nonnegative()
          .optional()
          .describe("Defaults to the strong deployment's prices."),
      })
      .optional()
      .describe(
        'Sets the strong share from a target blended price when neither threshold nor strongShare is set.',
      ),
  }),
});

export const routeTargetSchema = z.union([deploymentTarget, splitTarget, fallbackTarget, autoTarget], {
  error: `${TARGET_HINT} or { auto: { weak, strong, threshold?, strongShare?, targetCost? } }`,
});

export const FALLBACK_CONDITIONS = [
  'connection',
  '5xx',
  '429',
  'timeout',
  'first_token_timeout',
  'context_length',
  'content_filter',
] as const;

export const fallbackConditionSchema = z.preprocess(
  // YAML reads an unquoted `429` as a number; it means the condition all the same.
  (value) => (typeof value === 'number' ? String(value) : value),
  z.enum(FALLBACK_CONDITIONS, { error: `use one of ${FALLBACK_CONDITIONS.join(', ')}` }),
);

export const retryPolicySchema = z.strictObject({
  max: z.number().int().nonnegative().default(2).describe('Extra attempts on backends already tried.'),
  on: z
    .array(fallbackConditionSchema)
    .default(['connection', '5xx', '429'])
    .describe(
      'Failures after which a backend already tried is asked again. Timeouts are left out by default: the upstream may still be generating (and billing) the abandoned attempt.',
    ),
  baseDelayMs: z.number().int().nonnegative().default(250),
  maxDelayMs: z.number().int().nonnegative().default(5_000),
  deadlineMs: z
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe(
      'No new attempt (retry or fallback) starts later than this after the first; an attempt already running keeps its own timeouts.',
    ),
});

export const spilloverSchema = z.strictObject({
  tiers: z
    .array(z.array(backendRef).min(1, 'a tier needs at least one backend'))
    .min(1, 'list at least one overflow tier'),
  maxQueueDepth: z
    .number()
    .nonnegative()
    .default(4)
    .describe('Engine queue (waiting requests) above which a backend counts as saturated.'),
  maxKvCacheUsage: z
    .number()
    .min(0)
    .max(1)
    .default(0.95)
    .describe('KV-cache use (0..1) above which a backend counts as saturated.'),
  ttftSloMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Time-to-first-token SLO; an EWMA above it counts as saturated.'),
});

export const shadowSchema = z.strictObject({
  candidates: z
    .array(backendRef)
    .min(1, 'name at least one candidate deployment')
    .describe('Deployments that answer a copy of sampled requests; the client never sees their answers.'),
  sample: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe(
      "Share of the route's requests copied, chosen by a stable hash of the conversation (x-session-id) or request id, so replicas agree.",
    ),
  maxConcurrency: z.number().int().positive().default(4).describe('Copies in flight at once, per route.'),
  maxQueue: z
    .number()
    .int()
    .nonnegative()
    .default(100)
    .describe('Copies waiting for a slot; beyond it a copy is dropped (and counted), never the primary.'),
  budgetUsd: z
    .number()
    .positive()
    .optional()
    .describe('Total spend on copies (and their judging); the job stops when it is reached.'),
  until: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), { error: 'use an ISO date or date-time, e.g. 2026-12-31' })
    .optional()
    .describe('The job stops at this date-time (ISO 8601).'),
  score: z
    .strictObject({
      scorer: z
        .string()
        .min(1)
        .describe(
          'A built-in scorer name (judge-pairwise, rouge-l, json-valid, ...) applied to each pair as it completes.',
        ),
      judge: z.string().min(1).optional().describe('Public model name of the judge, for judge scorers.'),
    })
    .optional()
    .describe('Score each pair as it completes, so rollout quality gates can read the differences.'),
  logBodies: z
    .boolean()
    .optional()
    .describe(
      "Store both answers with each pair (redacted of personal data); defaults to the route's logBodies.",
    ),
});

export const routeSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : -'),
    match: routeMatchSchema.default({}),
    target: routeTargetSchema,
    fallbackOn: z.array(fallbackConditionSchema).optional(),
    retries: retryPolicySchema.optional(),
    firstTokenBudgetMs: z.number().int().positive().optional(),
    spillover: spilloverSchema.optional(),
    redact: z
      .boolean()
      .optional()
      .describe('Replace detected personal data with placeholders instead of keeping the request internal.'),
    logBodies: z.boolean().optional(),
    shadow: shadowSchema
      .optional()
      .describe('Copy sampled requests to candidates and keep both answers as pairs.'),
  })
  .superRefine((route, ctx) => {
    const m = route.match;
    if (
      m.minPromptTokens !== undefined &&
      m.maxPromptTokens !== undefined &&
      m.minPromptTokens > m.maxPromptTokens
    )
      ctx.addIssue({
        code: 'custom',
        path: ['match', 'minPromptTokens'],
        message: 'minPromptTokens is larger than maxPromptTokens; no request could match',
      });
    if (m.minComplexity !== undefined && m.maxComplexity !== undefined && m.minComplexity > m.maxComplexity)
      ctx.addIssue({
        code: 'custom',
        path: ['match', 'minComplexity'],
        message: 'minComplexity is larger than maxComplexity; no request could match',
      });
    if ('split' in route.target && !route.target.split.some((e) => e.weight > 0))
      ctx.addIssue({
        code: 'custom',
        path: ['target', 'split'],
        message: 'every weight is 0; give at least one entry a positive weight',
      });
  });

export const routesSchema = z
  .array(routeSchema)
  .default([])
  .superRefine((routes, ctx) => {
    const seen = new Set<string>();
    routes.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `'${r.id}' is used twice; route ids must be unique (they are recorded on every request)`,
        });
      seen.add(r.id);
    });
  });

export type RouteConfig = z.infer<typeof routeSchema>;
export type RouteTargetConfig = z.infer<typeof routeTargetSchema>;
export type SimpleTargetConfig = z.infer<typeof simpleTargetSchema>;
export type RetryPolicy = z.infer<typeof retryPolicySchema>;
export type SpilloverConfig = z.infer<typeof spilloverSchema>;
export type ShadowConfig = z.infer<typeof shadowSchema>;
export type FallbackCondition = z.infer<typeof fallbackConditionSchema>;
