/**
 * Regenerates src/cost/imported-prices.generated.ts, the OpenAI, Anthropic and Google part of the
 * built-in price catalogue, from LiteLLM's maintained price map. Run from the repository root:
 *
 *   npx vite-node scripts/import-price-catalogue.ts --litellm model_prices_and_context_window.json \
 *     --snapshot "July 2026" [--retrieved YYYY-MM-DD] [--out src/cost/imported-prices.generated.ts]
 *
 * (https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json). Only the
 * text models of those three vendors are kept; open models stay hand-kept in builtin-prices.ts
 * because each inference provider sells them under its own id and family names. Figures the map
 * gets wrong against the vendor's own page are corrected below, with where they were checked, and
 * the script prints every Anthropic cache-write figure that departs from the published multipliers
 * (1.25× and 2× input) so the next correction is found the same way.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { format } from 'prettier';
import { ANTHROPIC_CACHE_WRITE_1H, ANTHROPIC_CACHE_WRITE_5M } from '../src/cost/billed-rates.js';
import { normalizeModelName } from '../src/cost/normalize-model-name.js';
import { parsePriceFile } from '../src/cost/parse-price-file.js';
import type { PriceEntry } from '../src/cost/price-entry.js';

const LITELLM_URL = 'https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json';
const VENDORS = new Set(['openai', 'anthropic', 'google']);
// Not text chat priced per token alone: audio, realtime and live sessions, image and music models,
// search models billed per query, tool containers.
const NOT_TEXT =
  /audio|realtime|tts|transcribe|live|lyria|image|robotics|container|search|computer-use|customtools|omni|gemma|learnlm/;

/** Names customers use for a model beyond the vendor's ids (matched case-insensitively). */
const ALIASES: Record<string, string[]> = {
  'claude-3-7-sonnet-20250219': ['claude-3-7-sonnet-latest', 'claude-3.7-sonnet'],
  'claude-haiku-4-5': ['claude-haiku-4.5', 'claude-4.5-haiku'],
  'claude-sonnet-4-20250514': ['claude-sonnet-4-0', 'claude-4-sonnet'],
  'claude-sonnet-4-5': ['claude-sonnet-4.5', 'claude-4.5-sonnet'],
  'claude-opus-4-20250514': ['claude-opus-4-0', 'claude-4-opus'],
  'claude-opus-4-1': ['claude-opus-4.1', 'claude-4.1-opus'],
  'claude-opus-4-5': ['claude-opus-4.5', 'claude-4.5-opus'],
};
const NOTES: Record<string, string> = {
  'claude-opus-4-20250514':
    'retired on the Anthropic API; still sold on Bedrock and Google Cloud at this price',
  'claude-opus-4-1': 'retired on the Anthropic API; still sold on Bedrock and Google Cloud at this price',
};

/** Figures of the map that the vendor's page contradicts, with the page and the day it was read. */
const ANTHROPIC_PRICING = 'https://docs.anthropic.com/en/docs/about-claude/pricing';
const CORRECTIONS: Record<string, { fields: Partial<PriceEntry>; source: string; checked: string }> = {
  'claude-3-haiku-20240307': {
    fields: { cacheWrite1hPerMillionUsd: 0.5 },
    source: ANTHROPIC_PRICING,
    checked: '2026-12-02',
  },
  'claude-3-opus-20240229': {
    fields: { cacheWrite1hPerMillionUsd: 30 },
    source: ANTHROPIC_PRICING,
    checked: '2026-12-02',
  },
};

const { values } = parseArgs({
  options: {
    litellm: { type: 'string' },
    snapshot: { type: 'string' },
    retrieved: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    out: { type: 'string', default: 'src/cost/imported-prices.generated.ts' },
  },
});
if (!values.litellm || !values.snapshot) {
  console.error(
    'usage: import-price-catalogue.ts --litellm FILE --snapshot "MONTH YEAR" [--retrieved DATE] [--out FILE]',
  );
  process.exit(2);
}

const text = readFileSync(values.litellm, 'utf8');
const sha256 = createHash('sha256').update(text).digest('hex');
const source = `${LITELLM_URL} (${values.snapshot} snapshot)`;
const parsed = parsePriceFile(text, { source, retrieved: values.retrieved });
const disagreements: string[] = [];

const byName = new Map<string, PriceEntry>();
for (const raw of parsed.entries) {
  if (!VENDORS.has(raw.provider)) continue;
  // LiteLLM lists Gemini API models twice, `gemini/NAME` and some bare; the prefixed ones are the
  // Gemini API's own list. Other prefixes (azure/, azure_ai/) are resellers with their own prices.
  if (raw.provider === 'google' && !raw.model.startsWith('gemini/')) continue;
  const model = raw.model.replace(/^gemini\//, '');
  if (model.includes('/') || NOT_TEXT.test(model) || byName.has(model)) continue;
  const entry: PriceEntry = { ...raw, model };
  const correction = CORRECTIONS[model];
  if (correction) {
    const was = Object.keys(correction.fields).map(
      (k) => `${k} ${String(entry[k as keyof PriceEntry] ?? 'unlisted')}`,
    );
    Object.assign(entry, correction.fields);
    entry.note = `corrected from ${correction.source} (checked ${correction.checked}); the map lists ${was.join(', ')}`;
  }
  if (entry.provider === 'anthropic') checkAnthropicCacheWrites(entry);
  if (ALIASES[model]) entry.aliases = ALIASES[model];
  if (NOTES[model]) entry.note = NOTES[model];
  byName.set(model, entry);
}

/**
 * Anthropic publishes cache writes as multiples of input (1.25× for 5 minutes, 2× for 1 hour,
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching), though its table rounds a
 * few (Claude Haiku 3 writes at $0.30, not $0.3125). A figure far from the rule is worth a look.
 */
function checkAnthropicCacheWrites(e: PriceEntry): void {
  const input = e.inputPerMillionUsd ?? 0;
  for (const [key, factor] of [
    ['cacheWrite5mPerMillionUsd', ANTHROPIC_CACHE_WRITE_5M],
    ['cacheWrite1hPerMillionUsd', ANTHROPIC_CACHE_WRITE_1H],
  ] as const) {
    const listed = e[key];
    const rule = input * factor;
    if (listed !== undefined && Math.abs(listed - rule) > 1e-9)
      disagreements.push(
        `${e.model} ${key}: $${listed}, rule ${factor}× input = $${Number(rule.toPrecision(12))}`,
      );
  }
}

/**
 * The map lists tier and long-context rates on a model's undated name and often not on its dated
 * snapshots. A snapshot billed at the same standard rates is the same product and is billed the
 * same per tier, so it takes the rates its undated name lists and it does not.
 */
for (const entry of byName.values()) {
  const undated = normalizeModelName(entry.model).undated;
  const base = undated === undefined ? undefined : byName.get(undated);
  if (!base || base === entry) continue;
  const same = (k: 'inputPerMillionUsd' | 'outputPerMillionUsd' | 'cachedInputPerMillionUsd') =>
    base[k] === entry[k];
  if (!same('inputPerMillionUsd') || !same('outputPerMillionUsd') || !same('cachedInputPerMillionUsd'))
    continue;
  if (base.tiers) entry.tiers = { ...base.tiers, ...entry.tiers };
  if (base.longContext && !entry.longContext) entry.longContext = base.longContext;
}

const entries = [...byName.values()].sort(
  (a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model),
);
const header = `// Generated by scripts/import-price-catalogue.ts from LiteLLM's price map (${values.snapshot}
// snapshot, sha256 ${sha256}), read ${values.retrieved}. Do not edit by hand: rerun the script.
import type { PriceEntry } from './price-entry.js';

/** OpenAI, Anthropic and Google text models: ${entries.length} entries. */
export const IMPORTED_PRICES: readonly PriceEntry[] = ${JSON.stringify(entries, null, 2)};
`;
writeFileSync(
  values.out,
  await format(header, { parser: 'typescript', singleQuote: true, printWidth: 110, trailingComma: 'all' }),
);
console.log(
  `wrote ${entries.length} prices to ${values.out} (of ${parsed.entries.length} priced models in the map)`,
);
for (const d of disagreements) console.log(`  differs from the published multiplier: ${d}`);
