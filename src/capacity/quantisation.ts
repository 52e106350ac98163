/** Bytes each weight occupies in GPU memory for each supported quantisation. */
export type Quantisation = 'bf16' | 'fp8' | 'int8' | 'awq-int4' | 'gguf-q4_k_m';
export type KvDtype = 'bf16' | 'fp8';

export interface QuantisationFact {
  id: Quantisation;
  bitsPerWeight: number;
  explanation: string;
  source: string;
}

export const QUANTISATIONS: Record<Quantisation, QuantisationFact> = {
  bf16: { id: 'bf16', bitsPerWeight: 16, explanation: '2 bytes per weight', source: 'IEEE/bfloat16 format' },
  fp8: {
    id: 'fp8',
    bitsPerWeight: 8,
    explanation: '1 byte per weight (per-tensor scales are negligible)',
    source: 'https://docs.vllm.ai/en/latest/features/quantization/fp8.html',
  },
  int8: {
    id: 'int8',
    bitsPerWeight: 8,
    explanation: '1 byte per weight (W8A8, per-channel scales are negligible)',
    source: 'https://docs.vllm.ai/en/latest/features/quantization/int8.html',
  },
  'awq-int4': {
    // 4-bit weights plus, per group of 128, one fp16 scale and one packed 4-bit zero point: (16 + 4) / 128.
    id: 'awq-int4',
    bitsPerWeight: 4 + 20 / 128,
    explanation: '4 bits + (16-bit scale + 4-bit zero point) per group of 128 = 4.156 bits per weight',
    source:
      'AutoAWQ defaults w_bit=4, q_group_size=128, zero_point=True (https://github.com/casper-hansen/AutoAWQ)',
  },
  'gguf-q4_k_m': {
    id: 'gguf-q4_k_m',
    bitsPerWeight: 4.85,
    explanation:
      'Q4_K super-blocks are 4.5 bits per weight; Q4_K_M keeps some tensors in Q6_K, averaging about 4.85 bits',
    source: 'llama.cpp k-quants (https://github.com/ggml-org/llama.cpp/pull/1684)',
  },
};

export const KV_DTYPE_BYTES: Record<KvDtype, number> = { bf16: 2, fp8: 1 };

export function isQuantisation(v: string): v is Quantisation {
  return Object.hasOwn(QUANTISATIONS, v);
}

export function isKvDtype(v: string): v is KvDtype {
  return Object.hasOwn(KV_DTYPE_BYTES, v);
}

export function bytesPerWeight(q: Quantisation): number {
  return QUANTISATIONS[q].bitsPerWeight / 8;
}
