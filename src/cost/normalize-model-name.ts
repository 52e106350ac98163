/**
 * Routing prefixes (LiteLLM's `together_ai/`, OpenRouter's `openai/`) name who sells the model; the
 * rest of the name names the weights. Vendors a deployment can declare map onto the same ids.
 */
const PROVIDER_PREFIXES: Record<string, string> = {
  openai: 'openai',
  azure: 'openai',
  azure_ai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  google: 'google',
  vertex_ai: 'google',
  together: 'together',
  together_ai: 'together',
  togethercomputer: 'together',
  fireworks: 'fireworks',
  fireworks_ai: 'fireworks',
  groq: 'groq',
  deepinfra: 'deepinfra',
};

/** The catalogue provider a deployment vendor or name prefix stands for, if any. */
export function providerForPrefix(prefix: string): string | undefined {
  return PROVIDER_PREFIXES[prefix.toLowerCase()];
}

// OpenAI snapshots end in -YYYY-MM-DD, Anthropic's in -YYYYMMDD, Vertex's in @YYYYMMDD.
const SNAPSHOT_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8}|@latest)$/;

export interface NormalizedModelName {
  /** Provider named by a routing prefix, when the name had one. */
  provider?: string;
  /** Names to try, most specific first, all lower case. */
  candidates: string[];
}

/** `openai/gpt-4o-2024-08-06` → provider openai, candidates [openai/gpt-4o-2024-08-06, gpt-4o-2024-08-06, gpt-4o]. */
export function normalizeModelName(model: string): NormalizedModelName {
  const lower = model.trim().toLowerCase();
  const candidates = [lower];
  let provider: string | undefined;
  let rest = lower;
  const slash = lower.indexOf('/');
  if (slash > 0) {
    const mapped = providerForPrefix(lower.slice(0, slash));
    if (mapped) {
      provider = mapped;
      rest = lower.slice(slash + 1);
      candidates.push(rest);
    }
  }
  const undated = rest.replace(SNAPSHOT_SUFFIX, '');
  if (undated !== rest) candidates.push(undated);
  return provider ? { provider, candidates } : { candidates };
}
