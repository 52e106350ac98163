import type { ModelArchitecture } from '../capacity/model-catalogue.js';
import type { CapacityInput } from '../capacity/plan-capacity.js';
import type { PlannerFlags } from './planner-flags.js';

/** The flags that describe a replica the same way in `capacity` and `breakeven`. */
type ReplicaFlags = Pick<
  PlannerFlags,
  | 'gpu'
  | 'quant'
  | 'kv-dtype'
  | 'context'
  | 'gpus'
  | 'gpu-hourly-usd'
  | 'bandwidth-efficiency'
  | 'compute-efficiency'
  | 'prompt-tokens'
  | 'output-tokens'
  | 'ttft-p95-ms'
  | 'output-tokens-per-second-per-user'
  | 'e2e-p95-ms'
>;

/**
 * The capacity planner's input as both commands read it from their flags, with the same defaults,
 * so a replica is sized alike whichever command asks. Each command adds what only it knows: the
 * memory reserve and utilisation in `capacity`, the load and input share in `breakeven`.
 */
export function replicaInputFromFlags(
  f: ReplicaFlags,
  model: ModelArchitecture,
  gpu: string,
  concurrency: number,
  measuredTokensPerSecond: number | undefined,
): CapacityInput {
  return {
    model: model.id,
    gpu,
    quant: f.quant ?? 'bf16',
    kvDtype: f['kv-dtype'] ?? 'bf16',
    contextTokens: f.context ?? 8192,
    concurrency,
    ...defined({
      gpuHourlyUsd: f['gpu-hourly-usd'],
      measuredTokensPerSecond,
      bandwidthEfficiency: f['bandwidth-efficiency'],
      computeEfficiency: f['compute-efficiency'],
      gpus: f.gpus,
    }),
    request: defined({ promptTokens: f['prompt-tokens'], outputTokens: f['output-tokens'] }),
    latency: defined({
      ttftP95Ms: f['ttft-p95-ms'],
      outputTokensPerSecondPerUser: f['output-tokens-per-second-per-user'],
      e2eP95Ms: f['e2e-p95-ms'],
    }),
  };
}

/** The object without its undefined values, for exactOptionalPropertyTypes. */
export function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
