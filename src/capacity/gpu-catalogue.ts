/**
 * Accelerators the capacity planner sizes against. Memory and bandwidth come from the vendors' data
 * sheets; hourly prices are typical on-demand list prices per GPU and move often, so every plan
 * prints the price it used and a flag overrides it.
 */
export interface GpuSpec {
  id: string;
  name: string;
  memoryGb: number;
  memoryBandwidthGbPerS: number;
  /** Per GPU, on demand. */
  typicalHourlyUsd: number;
  priceSource: string;
  specSource: string;
  checked: string;
}

const CHECKED = '2026-11-25';

export const GPU_CATALOGUE: readonly GpuSpec[] = Object.freeze([
  {
    id: 'l4',
    name: 'NVIDIA L4 24GB',
    memoryGb: 24,
    memoryBandwidthGbPerS: 300,
    typicalHourlyUsd: 0.8,
    priceSource: 'AWS EC2 g6.xlarge on-demand, us-east-1 (https://aws.amazon.com/ec2/instance-types/g6/)',
    specSource: 'https://www.nvidia.com/en-us/data-center/l4/',
    checked: CHECKED,
  },
  {
    id: 'a10g',
    name: 'NVIDIA A10G 24GB',
    memoryGb: 24,
    memoryBandwidthGbPerS: 600,
    typicalHourlyUsd: 1.01,
    priceSource: 'AWS EC2 g5.xlarge on-demand, us-east-1 (https://aws.amazon.com/ec2/instance-types/g5/)',
    specSource: 'https://aws.amazon.com/ec2/instance-types/g5/',
    checked: CHECKED,
  },
  {
    id: 'l40s',
    name: 'NVIDIA L40S 48GB',
    memoryGb: 48,
    memoryBandwidthGbPerS: 864,
    typicalHourlyUsd: 1.86,
    priceSource: 'AWS EC2 g6e.xlarge on-demand, us-east-1 (https://aws.amazon.com/ec2/instance-types/g6e/)',
    specSource: 'https://www.nvidia.com/en-us/data-center/l40s/',
    checked: CHECKED,
  },
  {
    id: 'a100-40gb',
    name: 'NVIDIA A100 40GB SXM',
    memoryGb: 40,
    memoryBandwidthGbPerS: 1555,
    typicalHourlyUsd: 1.29,
    priceSource: 'Lambda on-demand 1x A100 40GB (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/a100/',
    checked: CHECKED,
  },
  {
    id: 'a100-80gb',
    name: 'NVIDIA A100 80GB SXM',
    memoryGb: 80,
    memoryBandwidthGbPerS: 2039,
    typicalHourlyUsd: 1.79,
    priceSource: 'Lambda on-demand 8x A100 80GB SXM, per GPU (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/a100/',
    checked: CHECKED,
  },
  {
    id: 'h100',
    name: 'NVIDIA H100 80GB SXM',
    memoryGb: 80,
    memoryBandwidthGbPerS: 3350,
    typicalHourlyUsd: 2.99,
    priceSource: 'Lambda on-demand 8x H100 SXM, per GPU (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/h100/',
    checked: CHECKED,
  },
  {
    id: 'h200',
    name: 'NVIDIA H200 141GB SXM',
    memoryGb: 141,
    memoryBandwidthGbPerS: 4800,
    typicalHourlyUsd: 3.79,
    priceSource: 'Lambda on-demand 8x H200, per GPU (https://lambda.ai/pricing)',
    specSource: 'https://www.nvidia.com/en-us/data-center/h200/',
    checked: CHECKED,
  },
  {
    id: 'mi300x',
    name: 'AMD Instinct MI300X 192GB',
    memoryGb: 192,
    memoryBandwidthGbPerS: 5300,
    typicalHourlyUsd: 2.5,
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
