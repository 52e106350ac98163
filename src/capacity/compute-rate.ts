import type { GpuSpec } from './gpu-catalogue.js';
import type { Quantisation } from './quantisation.js';

export interface ComputeRate {
  /** The tensor-core format the matrix maths runs in. */
  dtype: 'bf16' | 'fp8' | 'int8';
  /** Dense peak per GPU. */
  tflopsPerGpu: number;
  explanation: string;
  /** Set when the GPU cannot run the quantisation the way it is named. */
  warning: string | null;
}

/**
 * The dense peak that prefill (and large decode batches) run at for a quantisation on a GPU. FP8
 * and INT8 (W8A8) compute in 8 bits where the tensor cores support it; AWQ and GGUF are weight-only
 * formats whose weights are widened to 16 bits for the matrix maths.
 */
export function computeRate(gpu: GpuSpec, quant: Quantisation): ComputeRate {
  const peaks = gpu.denseTflops;
  if (quant === 'fp8') {
    if (peaks.fp8 !== null)
      return {
        dtype: 'fp8',
        tflopsPerGpu: peaks.fp8,
        explanation: `FP8 dense peak of the ${gpu.id}`,
        warning: null,
      };
    return {
      dtype: 'bf16',
      tflopsPerGpu: peaks.bf16,
      explanation: `BF16 dense peak of the ${gpu.id}: it has no FP8 tensor cores`,
      // https://docs.vllm.ai/en/latest/features/quantization/fp8.html: FP8 compute needs compute
      // capability 8.9 (Ada, Hopper, Blackwell); older GPUs run FP8 checkpoints as W8A16 with FP8 Marlin.
      warning:
        `${gpu.name} (${gpu.architecture}) has no FP8 tensor cores: vLLM runs FP8 checkpoints there weight-only ` +
        `(W8A16, FP8 Marlin), so weights take 1 byte as planned but prefill runs at the BF16 rate ` +
        `(${peaks.bf16} TFLOPS), and FP8 mixture-of-experts checkpoints may not load at all. ` +
        `Plan bf16, int8 or awq-int4 on this GPU, or an Ada/Hopper GPU for fp8.`,
    };
  }
  if (quant === 'int8')
    return {
      dtype: 'int8',
      tflopsPerGpu: peaks.int8,
      explanation: `INT8 dense peak of the ${gpu.id} (W8A8)`,
      warning: null,
    };
  const widened = quant === 'bf16' ? '' : ` (${quant} weights are widened to 16 bits for the matrix maths)`;
  return {
    dtype: 'bf16',
    tflopsPerGpu: peaks.bf16,
    explanation: `BF16 dense peak of the ${gpu.id}${widened}`,
    warning: null,
  };
}
