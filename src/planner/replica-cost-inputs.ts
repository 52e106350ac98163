import type { CapacityPlan } from '../capacity/plan-capacity.js';
import type { SelfHostedInputs } from './monthly-cost.js';

type ReplicaCostInputs = Pick<
  SelfHostedInputs,
  'gpus' | 'gpuHourlyUsd' | 'replicaOutputTokensPerSecond' | 'replicaInputTokensPerSecond'
>;

/**
 * What the monthly cost takes from a sized replica, as `plan` and `breakeven` both take it: its
 * GPUs, their hourly price and the rates that size the fleet. A replica that decodes nothing
 * (prompts only) has no output rate, so only its prefill rate sizes replicas.
 */
export function replicaCostInputs(plan: CapacityPlan): ReplicaCostInputs {
  if (plan.gpusNeeded === null) throw new Error(plan.refusal ?? `${plan.model.name} does not fit`);
  const t = plan.throughput;
  return {
    gpus: plan.gpusNeeded,
    gpuHourlyUsd: plan.gpuHourlyUsd,
    ...(t && t.outputTokensPerSecond > 0 ? { replicaOutputTokensPerSecond: t.outputTokensPerSecond } : {}),
    ...(t ? { replicaInputTokensPerSecond: t.inputTokensPerSecond } : {}),
  };
}
