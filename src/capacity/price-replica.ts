import type { GpuSpec, InstanceSize } from './gpu-catalogue.js';

export interface ReplicaPrice {
  /** Per GPU of the replica, per hour. */
  gpuHourlyUsd: number;
  /** The instance size the rate comes from; null when the price was given. */
  instance: InstanceSize | null;
  /** How the rate was chosen, with the instance, for printing next to the cost. */
  explanation: string;
}

/**
 * The hourly rate per GPU of the instance a replica of `gpus` GPUs runs on: the smallest size the
 * price source lists that holds it. A replica smaller than that instance shares it with other
 * replicas, so it pays the instance's per-GPU rate; one larger than every listed size spans
 * several of the largest. An 8-GPU node's per-GPU rate is never applied to a one-GPU replica when
 * the source lists a one-GPU size, which costs more per GPU on some clouds and less on others.
 * Where only larger sizes are listed, the replica pays its GPUs' share of one, and the explanation
 * says so.
 */
export function priceReplica(gpu: GpuSpec, gpus: number, givenHourlyUsd?: number): ReplicaPrice {
  if (givenHourlyUsd !== undefined)
    return {
      gpuHourlyUsd: givenHourlyUsd,
      instance: null,
      explanation: `$${givenHourlyUsd}/h per GPU (given)`,
    };
  const sizes = [...gpu.instances].sort((a, b) => a.gpus - b.gpus);
  const holding = sizes.find((s) => s.gpus >= gpus);
  const instance = holding ?? sizes[sizes.length - 1];
  const perGpu = instance.hourlyUsd / instance.gpus;
  const rate = `${instance.name} (${instance.gpus} × ${gpu.id}, $${round4(instance.hourlyUsd)}/h) = $${round4(perGpu)} per GPU`;
  let how: string;
  if (instance.gpus === gpus) how = `a replica of ${gpus} GPU${gpus > 1 ? 's' : ''} runs on ${rate}`;
  else if (holding)
    how = `a replica of ${gpus} GPU${gpus > 1 ? 's' : ''} runs on ${rate}, priced per GPU used: replicas are taken to share instances, so a fleet of one small replica understates the bill of a whole ${instance.name}`;
  else
    how = `a replica of ${gpus} GPUs spans ${Math.ceil(gpus / instance.gpus)} × ${rate} (the largest size listed)`;
  return {
    gpuHourlyUsd: perGpu,
    instance,
    explanation: `${how}; ${gpu.priceSource}, checked ${gpu.checked}`,
  };
}

function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}
