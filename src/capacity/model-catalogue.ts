/**
 * Architecture facts of open models, as published in each model's Hugging Face `config.json`.
 * KV-cache size and weight memory are computed from these, never from a rule-of-thumb multiplier.
 * Parameter counts are the totals given on each model card (safetensors metadata).
 */
export type AttentionKind = 'gqa' | 'mha' | 'mla';

export interface ModelArchitecture {
  id: string;
  name: string;
  /** Hugging Face repository, accepted as an alias and cited as the source. */
  hfRepo: string;
  totalParamsB: number;
  /** Parameters used per token; equals total for dense models. */
  activeParamsB: number;
  layers: number;
  attentionHeads: number;
  kvHeads: number;
  headDim: number;
  contextLength: number;
  attention: AttentionKind;
  /** Latent attention (DeepSeek MLA) only. */
  kvLoraRank?: number;
  qkRopeHeadDim?: number;
  experts?: { total: number; activePerToken: number };
  source: string;
  checked: string;
  note?: string;
}

const CHECKED = '2026-11-25';
const hf = (repo: string) => `https://huggingface.co/${repo}/blob/main/config.json`;

function dense(
  id: string,
  name: string,
  hfRepo: string,
  paramsB: number,
  layers: number,
  attentionHeads: number,
  kvHeads: number,
  headDim: number,
  contextLength: number,
  note?: string,
): ModelArchitecture {
  return {
    id,
    name,
    hfRepo,
    totalParamsB: paramsB,
    activeParamsB: paramsB,
    layers,
    attentionHeads,
    kvHeads,
    headDim,
    contextLength,
    attention: kvHeads === attentionHeads ? 'mha' : 'gqa',
    source: hf(hfRepo),
    checked: CHECKED,
    ...(note ? { note } : {}),
  };
}

export const MODEL_CATALOGUE: readonly ModelArchitecture[] = Object.freeze([
  dense('llama-3.1-8b', 'Llama 3.1 8B', 'meta-llama/Llama-3.1-8B-Instruct', 8.03, 32, 32, 8, 128, 131072),
  dense('llama-3.1-70b', 'Llama 3.1 70B', 'meta-llama/Llama-3.1-70B-Instruct', 70.6, 80, 64, 8, 128, 131072),
  dense(
    'llama-3.1-405b',
    'Llama 3.1 405B',
    'meta-llama/Llama-3.1-405B-Instruct',
    405.9,
    126,
    128,
    8,
    128,
    131072,
  ),
  dense('llama-3.3-70b', 'Llama 3.3 70B', 'meta-llama/Llama-3.3-70B-Instruct', 70.6, 80, 64, 8, 128, 131072),
  dense('mistral-7b', 'Mistral 7B v0.3', 'mistralai/Mistral-7B-Instruct-v0.3', 7.25, 32, 32, 8, 128, 32768),
  dense(
    'mistral-small-3',
    'Mistral Small 3 (24B)',
    'mistralai/Mistral-Small-24B-Instruct-2501',
    23.6,
    40,
    32,
    8,
    128,
    32768,
  ),
  {
    ...dense(
      'mixtral-8x7b',
      'Mixtral 8x7B',
      'mistralai/Mixtral-8x7B-Instruct-v0.1',
      46.7,
      32,
      32,
      8,
      128,
      32768,
    ),
    activeParamsB: 12.9,
    experts: { total: 8, activePerToken: 2 },
  },
  {
    ...dense(
      'mixtral-8x22b',
      'Mixtral 8x22B',
      'mistralai/Mixtral-8x22B-Instruct-v0.1',
      140.6,
      56,
      48,
      8,
      128,
      65536,
    ),
    activeParamsB: 39.1,
    experts: { total: 8, activePerToken: 2 },
  },
  dense('qwen2.5-7b', 'Qwen2.5 7B', 'Qwen/Qwen2.5-7B-Instruct', 7.61, 28, 28, 4, 128, 32768),
  dense('qwen2.5-14b', 'Qwen2.5 14B', 'Qwen/Qwen2.5-14B-Instruct', 14.7, 48, 40, 8, 128, 32768),
  dense('qwen2.5-32b', 'Qwen2.5 32B', 'Qwen/Qwen2.5-32B-Instruct', 32.5, 64, 40, 8, 128, 32768),
  dense('qwen2.5-72b', 'Qwen2.5 72B', 'Qwen/Qwen2.5-72B-Instruct', 72.7, 80, 64, 8, 128, 32768),
  dense('qwen3-8b', 'Qwen3 8B', 'Qwen/Qwen3-8B', 8.19, 36, 32, 8, 128, 40960),
  dense('qwen3-14b', 'Qwen3 14B', 'Qwen/Qwen3-14B', 14.8, 40, 40, 8, 128, 40960),
  dense('qwen3-32b', 'Qwen3 32B', 'Qwen/Qwen3-32B', 32.8, 64, 64, 8, 128, 40960),
  {
    ...dense('qwen3-235b-a22b', 'Qwen3 235B-A22B', 'Qwen/Qwen3-235B-A22B', 235, 94, 64, 4, 128, 40960),
    activeParamsB: 22,
    experts: { total: 128, activePerToken: 8 },
  },
  dense(
    'gemma-2-9b',
    'Gemma 2 9B',
    'google/gemma-2-9b-it',
    9.24,
    42,
    16,
    8,
    256,
    8192,
    'Alternate layers use a 4096-token sliding window; the KV figure assumes every layer caches the full context, as vLLM allocates it.',
  ),
  dense(
    'gemma-2-27b',
    'Gemma 2 27B',
    'google/gemma-2-27b-it',
    27.2,
    46,
    32,
    16,
    128,
    8192,
    'Alternate layers use a 4096-token sliding window; the KV figure assumes every layer caches the full context, as vLLM allocates it.',
  ),
  dense('phi-3.5-mini', 'Phi-3.5-mini', 'microsoft/Phi-3.5-mini-instruct', 3.82, 32, 32, 32, 96, 131072),
  dense(
    'phi-3-medium',
    'Phi-3-medium (128k)',
    'microsoft/Phi-3-medium-128k-instruct',
    14.0,
    40,
    40,
    10,
    128,
    131072,
  ),
  dense(
    'command-r-plus',
    'Command R+ (104B)',
    'CohereForAI/c4ai-command-r-plus',
    104,
    64,
    96,
    8,
    128,
    131072,
  ),
  {
    id: 'deepseek-v3',
    name: 'DeepSeek V3',
    hfRepo: 'deepseek-ai/DeepSeek-V3',
    totalParamsB: 671,
    activeParamsB: 37,
    layers: 61,
    attentionHeads: 128,
    kvHeads: 128,
    headDim: 128,
    contextLength: 163840,
    attention: 'mla',
    kvLoraRank: 512,
    qkRopeHeadDim: 64,
    experts: { total: 256, activePerToken: 8 },
    source: hf('deepseek-ai/DeepSeek-V3'),
    checked: CHECKED,
    note: 'Multi-head latent attention caches one compressed latent (kv_lora_rank + qk_rope_head_dim) per layer, replicated on every tensor-parallel rank.',
  },
]);

const byAlias = new Map<string, ModelArchitecture>();
for (const m of MODEL_CATALOGUE) {
  byAlias.set(m.id, m);
  byAlias.set(m.hfRepo.toLowerCase(), m);
  byAlias.set(m.hfRepo.split('/')[1].toLowerCase(), m);
}

/** Looks a model up by short id (`llama-3.1-70b`) or Hugging Face repo name (`meta-llama/Llama-3.1-70B-Instruct`). */
export function findModel(idOrRepo: string): ModelArchitecture | undefined {
  return byAlias.get(idOrRepo.trim().toLowerCase());
}
