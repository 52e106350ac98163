/**
 * Accelerators the capacity planner sizes against. Memory, bandwidth and tensor-core peaks come from
 * the vendors' data sheets; hourly prices are on-demand list prices of the instance sizes a provider
 * lists, and move often, so every plan prints the price it used and a flag overrides it.
 */
export type GpuArchitecture = 'ampere' | 'ada' | 'hopper' | 'cdna3';

/**
 * Dense tensor-core peak per GPU in TFLOPS (TOPS for int8), without 2:4 structured sparsity: data
 * sheets headline the sparse figure, which dense LLM weights never reach. `fp8: null` means the GPU
 * has no FP8 tensor cores.
 */
export interface DenseTflops {
  bf16: number;
  fp8: number | null;
  int8: number;
}

/** One size of instance a provider rents, all GPUs of the same kind. */
export interface InstanceSize {
  name: string;
  gpus: number;
  hourlyUsd: number;
}

export interface GpuSpec {
  id: string;
  name: string;
  memoryGb: number;
  memoryBandwidthGbPerS: number;
  architecture: GpuArchitecture;
  denseTflops: DenseTflops;
  /** Per GPU, on demand, of the smallest instance listed. */
  typicalHourlyUsd: number;
  /** Instance sizes the price source lists, smallest first. */
  instances: readonly InstanceSize[];
  priceSource: string;
  specSource: string;
  checked: string;
}

const CHECKED = '2026-11-25';
// AWS list prices re-read on this date, with the instance sizes that hold 4 and 8 GPUs.
const AWS_CHECKED = '2026-12-02';
const AWS_PRICING =
  'AWS EC2 On-Demand pricing, Linux, us-east-1 (https://aws.amazon.com/ec2/pricing/on-demand/)';

export const GPU_CATALOGUE: readonly GpuSpec[] = Object.freeze([
  {
    id: 'l4',
    name: 'NVIDIA L4 24GB',
    memoryGb: 24,
    memoryBandwidthGbPerS: 300,
    architecture: 'ada',
    // Data sheet: FP8 485, BF16 242, INT8 485 "with sparsity"; dense is half.
    denseTflops: { bf16: 121, fp8: 242.5, int8: 242.5 },
    typicalHourlyUsd: 0.8048,
    instances: [
      { name: 'g6.xlarge', gpus: 1, hourlyUsd: 0.8048 },
      { name: 'g6.12xlarge', gpus: 4, hourlyUsd: 4.6016 },
      { name: 'g6.48xlarge', gpus: 8, hourlyUsd: 13.3504 },
    ],
    priceSource: `${AWS_PRICING}: g6.xlarge, g6.12xlarge, g6.48xlarge`,
    specSource: 'https://www.nvidia.com/en-us/data-center/l4/',
    checked: AWS_CHECKED,
  },
  {
    id: 'a10g',
    name: 'NVIDIA A10G 24GB',
    memoryGb: 24,
    memoryBandwidthGbPerS: 600,
    architecture: 'ampere',
    // NVIDIA publishes no A10G data sheet; these are the A10's dense figures. The A10G has less
    // tensor throughput than the A10 (https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/),
    // so prefill on it is if anything slower than planned.
    denseTflops: { bf16: 125, fp8: null, int8: 250 },
    typicalHourlyUsd: 1.006,
    instances: [
      { name: 'g5.xlarge', gpus: 1, hourlyUsd: 1.006 },
      { name: 'g5.12xlarge', gpus: 4, hourlyUsd: 5.672 },
      { name: 'g5.48xlarge', gpus: 8, hourlyUsd: 16.288 },
    ],
    priceSource: `${AWS_PRICING}: g5.xlarge, g5.12xlarge, g5.48xlarge`,
    specSource: 'https://www.nvidia.com/en-us/data-center/products/a10-gpu/ (A10; AWS G5 page for the A10G)',
    checked: AWS_CHECKED,
  },
  {
    id: 'l40s',
    name: 'NVIDIA L40S 48GB',
    memoryGb: 48,
    memoryBandwidthGbPerS: 864,
    architecture: 'ada',
    denseTflops: { bf16: 362.05, fp8: 733, int8: 733 },
    typicalHourlyUsd: 1.861,
    instances: [
      { name: 'g6e.xlarge', gpus: 1, hourlyUsd: 1.861 },
      { name: 'g6e.12xlarge', gpus: 4, hourlyUsd: 10.49264 },
      { name: 'g6e.48xlarge', gpus: 8, hourlyUsd: 30.13118 },
    ],
    priceSource: `${AWS_PRICING}: g6e.xlarge, g6e.12xlarge, g6e.48xlarge`,
    specSource: 'https://www.nvidia.com/en-us/data-center/l40s/',
    checked: AWS_CHECKED,
  },
  {
    id: 'a100-40gb',
    name: 'NVIDIA A100 40GB SXM',
    memoryGb: 40,
    memoryBandwidthGbPerS: 1555,
    architecture: 'ampere',
    denseTflops: { bf16: 312, fp8: null, int8: 624 },
    typicalHourlyUsd: 1.29,
    instances: [{ name: '1x A100 40GB', gpus: 1, hourlyUsd: 1.29 }],
    priceSource: 'Lambda on-demand 1x A100 40GB (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/a100/',
    checked: CHECKED,
  },
  {
    id: 'a100-80gb',
    name: 'NVIDIA A100 80GB SXM',
    memoryGb: 80,
    memoryBandwidthGbPerS: 2039,
    architecture: 'ampere',
    denseTflops: { bf16: 312, fp8: null, int8: 624 },
    typicalHourlyUsd: 1.79,
    instances: [{ name: '8x A100 80GB SXM', gpus: 8, hourlyUsd: 8 * 1.79 }],
    priceSource: 'Lambda on-demand 8x A100 80GB SXM, per GPU (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/a100/',
    checked: CHECKED,
  },
  {
    id: 'h100',
    name: 'NVIDIA H100 80GB SXM',
    memoryGb: 80,
    memoryBandwidthGbPerS: 3350,
    architecture: 'hopper',
    denseTflops: { bf16: 989.5, fp8: 1979, int8: 1979 },
    typicalHourlyUsd: 2.99,
    instances: [{ name: '8x H100 SXM', gpus: 8, hourlyUsd: 8 * 2.99 }],
    priceSource: 'Lambda on-demand 8x H100 SXM, per GPU (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/h100/',
    checked: CHECKED,
  },
  {
    id: 'h200',
    name: 'NVIDIA H200 141GB SXM',
    memoryGb: 141,
    memoryBandwidthGbPerS: 4800,
    architecture: 'hopper',
    denseTflops: { bf16: 989.5, fp8: 1979, int8: 1979 },
    typicalHourlyUsd: 3.79,
    instances: [{ name: '8x H200', gpus: 8, hourlyUsd: 8 * 3.79 }],
    priceSource: 'Lambda on-demand 8x H200, per GPU (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/h200/',
    checked: CHECKED,
  },
  {
    id: 'mi300x',
    name: 'AMD Instinct MI300X 192GB',
    memoryGb: 192,
    memoryBandwidthGbPerS: 5300,
    architecture: 'cdna3',
    denseTflops: { bf16: 1307.4, fp8: 2614.9, int8: 2614.9 },
    typicalHourlyUsd: 2.5,
    instances: [{ name: '1x MI300X', gpus: 1, hourlyUsd: 2.5 }],
    priceSource: 'RunPod on-demand MI300X (https://www.runpod.io/pricing)',
    specSource: 'https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html',
    checked: CHECKED,
  },
]);

const ALIASES: Record<string, string> = {
  'h100-80gb': 'h100',
  'h100-sxm': 'h100',
  a100: 'a100-80gb',
  'a100-40': 'a100-40gb',
  'a100-80': 'a100-80gb',
  'h200-141gb': 'h200',
};

export function findGpu(id: string): GpuSpec | undefined {
  const key = id.trim().toLowerCase();
  const resolved = ALIASES[key] ?? key;
  return GPU_CATALOGUE.find((g) => g.id === resolved);
}
