import { z } from 'zod';

/**
 * What a rollout's state and history look like when stored. The schemas are applied when state is
 * read back (from SQLite today, Redis or PostgreSQL later), so a hand-edited or older row is
 * reported rather than half-read.
 */

export const GATE_NAMES = ['quality', 'errorRate', 'latency', 'ttft'] as const;
export type GateName = (typeof GATE_NAMES)[number];

export const gateResultSchema = z.object({
  gate: z.enum(GATE_NAMES),
  status: z.enum(['pass', 'fail', 'inconclusive']),
  /** Pairs (quality) or candidate requests (the others) the figures come from. */
  samples: z.number(),
  /**
   * The measured value the bounds are about: the mean paired difference (quality), the error share
   * (errorRate), the share of requests slower than the threshold (latency, ttft).
   */
  estimate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  /** What the bounds are compared with: −margin, the highest error share, 0.05 for a p95. */
  limit: z.number(),
  alpha: z.number(),
  /** Latency gates: the threshold and the p95 observed. */
  p95MaxMs: z.number().optional(),
  observedP95Ms: z.number().nullable().optional(),
  reason: z.string(),
});
export type GateResult = z.infer<typeof gateResultSchema>;
export type GateStatus = GateResult['status'];

const armSummarySchema = z.object({
  requests: z.number(),
  errors: z.number(),
  latencyP95Ms: z.number().nullable(),
  ttftP95Ms: z.number().nullable(),
});
export type ArmSummary = z.infer<typeof armSummarySchema>;

export const evidenceSummarySchema = z.object({
  baseline: armSummarySchema,
  candidate: armSummarySchema,
  qualityPairs: z.number(),
});
export type EvidenceSummary = z.infer<typeof evidenceSummarySchema>;

export const DECISIONS = ['advance', 'complete', 'hold', 'rollback'] as const;
export type Decision = (typeof DECISIONS)[number];

export const rolloutCheckSchema = z.object({
  atMs: z.number(),
  decision: z.enum(DECISIONS),
  reasons: z.array(z.string()),
  gates: z.array(gateResultSchema),
  evidence: evidenceSummarySchema,
  dryRun: z.boolean(),
});
export type RolloutCheck = z.infer<typeof rolloutCheckSchema>;

export const ROLLOUT_STATUSES = ['running', 'paused', 'rolled_back', 'completed'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const rolloutStateSchema = z.object({
  route: z.string(),
  /** Changes when a new candidate (or baseline) starts over on the route. */
  rolloutId: z.string(),
  baseline: z.string(),
  candidate: z.string(),
  status: z.enum(ROLLOUT_STATUSES),
  /** Index into the configured stages; −1 is 0% (not started, or rolled back to zero). */
  stageIndex: z.number().int().min(-1),
  startedAtMs: z.number(),
  stageStartedAtMs: z.number(),
  consecutiveFailedChecks: z.number().int().nonnegative(),
  lastCheck: rolloutCheckSchema.nullable(),
  /** Bumped on every write; a write based on an older version is refused (another replica won). */
  version: z.number().int().nonnegative(),
});
export type RolloutState = z.infer<typeof rolloutStateSchema>;

export const TRANSITION_KINDS = [
  'start',
  'restart',
  'advance',
  'complete',
  'rollback',
  'pause',
  'resume',
] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

export const rolloutTransitionSchema = z.object({
  route: z.string(),
  rolloutId: z.string(),
  atMs: z.number(),
  kind: z.enum(TRANSITION_KINDS),
  /** `controller` for automatic moves, `admin` for the API and CLI, `config` for a changed config. */
  actor: z.enum(['controller', 'admin', 'config']),
  /** Recorded by a dry-run rollout: what it would have done; traffic did not move. */
  dryRun: z.boolean(),
  fromPercent: z.number(),
  toPercent: z.number(),
  fromStage: z.number().int(),
  toStage: z.number().int(),
  reason: z.string(),
  /** The check behind an automatic move (gate values, bounds, sample counts); null for manual ones without a check yet. */
  check: rolloutCheckSchema.nullable(),
});
export type RolloutTransition = z.infer<typeof rolloutTransitionSchema>;

/** A transition as read back from the store, with its position in the append-only log. */
export interface StoredTransition extends RolloutTransition {
  seq: number;
}
