import type { ModelArchitecture } from './model-catalogue.js';

/**
 * Bytes of KV cache one token occupies across the whole model.
 * GQA/MHA: 2 (K and V) × layers × kv_heads × head_dim × bytes.
 * MLA (DeepSeek): one latent of (kv_lora_rank + qk_rope_head_dim) per layer × bytes; K and V are
 * reconstructed from it, so there is no factor 2.
 */
export function kvBytesPerToken(model: ModelArchitecture, kvBytes: number): number {
  if (model.attention === 'mla') {
    if (model.kvLoraRank === undefined || model.qkRopeHeadDim === undefined)
      throw new Error(`${model.id}: latent attention needs kvLoraRank and qkRopeHeadDim`);
    return (model.kvLoraRank + model.qkRopeHeadDim) * model.layers * kvBytes;
  }
  return 2 * model.layers * model.kvHeads * model.headDim * kvBytes;
}

/** The formula behind `kvBytesPerToken`, with this model's numbers, for printing. */
export function kvFormula(model: ModelArchitecture, kvBytes: number): string {
  const bytes = kvBytesPerToken(model, kvBytes);
  if (model.attention === 'mla')
    return `(kv_lora_rank ${model.kvLoraRank} + qk_rope_head_dim ${model.qkRopeHeadDim}) × layers ${model.layers} × ${kvBytes} B = ${bytes} B/token`;
  return `2 × layers ${model.layers} × kv_heads ${model.kvHeads} × head_dim ${model.headDim} × ${kvBytes} B = ${bytes} B/token`;
}

/**
 * How many times each token's KV is stored across a tensor-parallel group. KV heads are split across
 * ranks; when there are more ranks than KV heads vLLM replicates heads, and a latent cache is
 * replicated on every rank.
 */
export function kvReplication(model: ModelArchitecture, tensorParallel: number): number {
  if (model.attention === 'mla') return tensorParallel;
  return tensorParallel > model.kvHeads ? tensorParallel / model.kvHeads : 1;
}

/**
 * Tensor-parallel sizes vLLM accepts for this model: attention heads divide evenly, and KV heads
 * either divide evenly or are replicated a whole number of times.
 */
export function validTensorParallelSizes(model: ModelArchitecture): number[] {
  return [1, 2, 4, 8].filter((tp) => {
    if (model.attentionHeads % tp !== 0) return false;
    if (model.attention === 'mla') return true;
    return model.kvHeads >= tp ? model.kvHeads % tp === 0 : tp % model.kvHeads === 0;
  });
}
