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

// OpenAI snapshots end in -YYYY-MM-DD, Anthropic's in -YYYYMMDD, Vertex's in @YYYYMMDD; `-latest`
// and `@latest` name whichever snapshot is current.
const SNAPSHOT_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|@\d{8}|[-@]latest)$/;
// A fine-tuned OpenAI model is `ft:BASE:ORG[:SUFFIX]:ID`; it is billed at the fine-tuned rate of BASE,
// never at BASE's own rate (https://platform.openai.com/docs/guides/fine-tuning).
const FINE_TUNED = /^(ft:[^:]+):/;

export interface NormalizedModelName {
  /** Provider named by a routing prefix, when the name had one. */
  provider?: string;
  /** Names to try, most specific first, all lower case. */
  candidates: string[];
  /**
   * The last candidate when it only drops a snapshot date: a name the same model answers to, but a
   * dated snapshot can be priced differently (gpt-4o-2024-05-13 is not gpt-4o's price), so an exact
   * name always wins over it.
   */
  undated?: string;
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
  const fineTuned = FINE_TUNED.exec(rest);
  if (fineTuned) {
    rest = fineTuned[1];
    candidates.push(rest);
  }
  const result: NormalizedModelName = { candidates };
  if (provider) result.provider = provider;
  const undated = rest.replace(SNAPSHOT_SUFFIX, '');
  if (undated !== rest && !fineTuned) {
    candidates.push(undated);
    result.undated = undated;
  }
  return result;
}
