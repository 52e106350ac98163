export { assignArm, stickyKeyFor, stickyPoint, type RolloutArm, type StickyIds } from './assign-arm.js';
export { createRollouts, type RolloutDependencies, type Rollouts } from './create-rollouts.js';
export { decideCheck, type CheckVerdict } from './decide-check.js';
export { evaluateGates, errorRateGate, latencyGate, qualityGate } from './evaluate-gates.js';
export { meanConfidenceSequence, type MeanBounds } from './mean-confidence-sequence.js';
export { MemoryQualitySource, type QualityPair } from './memory-quality-source.js';
export { MemoryRolloutStore } from './memory-rollout-store.js';
export { proportionConfidenceSequence, type ProportionBounds } from './proportion-confidence-sequence.js';
export { RecordRolloutEvidence } from './record-rollout-evidence.js';
export { rolloutAdmin } from './rollout-admin.js';
export { normalizeRollout, stagePercent, type RolloutConfig, type RolloutStage } from './rollout-config.js';
export {
  RolloutController,
  type ActionResult,
  type RolloutControllerOptions,
  type RolloutEvent,
  type RolloutNotifier,
  type RolloutShare,
  type RolloutSnapshot,
} from './rollout-controller.js';
export type {
  ArmEvidence,
  QualityQuery,
  QualitySource,
  RolloutEvidence,
  RolloutEvidenceQuery,
  RolloutEvidenceSnapshot,
} from './rollout-evidence.js';
export type {
  Decision,
  GateResult,
  RolloutCheck,
  RolloutState,
  RolloutStatus,
  RolloutTransition,
  StoredTransition,
} from './rollout-state.js';
export type { RolloutStore } from './rollout-store.js';
export { openRolloutStore, SqliteRolloutStore, ROLLOUT_DATABASE_FILE } from './sqlite-rollout-store.js';
export { WebhookNotifier } from './webhook-notifier.js';
