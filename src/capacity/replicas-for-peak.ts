/** The traffic a fleet of replicas must serve at its busiest, in tokens per second. */
export interface PeakLoad {
  outputTokensPerSecond: number;
  inputTokensPerSecond: number;
  /** Highest share of a replica's throughput planned for at the peak. */
  maxUtilisation: number;
}

/**
 * Replicas a peak needs: the larger of ceil(peak output ÷ (replica output rate × utilisation)) and,
 * when the replica's prefill rate is known, the same for prompts; at least one. A rate that is
 * absent or zero does not size the fleet. The planner's monthly cost and the layout choice both
 * count replicas here, so the layout chosen for a load is costed with the same arithmetic.
 */
export function replicasForPeak(
  load: PeakLoad,
  replicaOutputTokensPerSecond: number | undefined,
  replicaInputTokensPerSecond: number | undefined,
): number {
  const forRate = (peak: number, perReplica: number | undefined) =>
    // The 1e-9 keeps a peak that is an exact multiple of the replica rate from rounding up a step.
    perReplica ? Math.ceil(peak / (perReplica * load.maxUtilisation) - 1e-9) : 0;
  return Math.max(
    1,
    forRate(load.outputTokensPerSecond, replicaOutputTokensPerSecond),
    forRate(load.inputTokensPerSecond, replicaInputTokensPerSecond),
  );
}
