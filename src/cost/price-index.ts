import type { PriceEntry } from './builtin-prices.js';
import { normalizeModelName } from './normalize-model-name.js';

/** Provider of an entry that applies whoever serves the model (a config override without a prefix). */
export const ANY_PROVIDER = '*';

export type IndexLookup = { entry: PriceEntry } | { ambiguous: string[] } | undefined;

/** Price entries by every name they answer to, built once per config load. */
export class PriceIndex {
  private readonly byName = new Map<string, PriceEntry[]>();
  readonly entries: readonly PriceEntry[];

  constructor(entries: Iterable<PriceEntry>) {
    this.entries = [...entries];
    for (const entry of this.entries) {
      const names = new Set<string>();
      for (const name of [entry.model, ...(entry.aliases ?? [])])
        for (const candidate of normalizeModelName(name).candidates) names.add(candidate);
      for (const name of names) {
        const list = this.byName.get(name);
        if (list) list.push(entry);
        else this.byName.set(name, [entry]);
      }
    }
  }

  /** Every entry answering to the model's most specific known name, whoever sells it. */
  entriesFor(model: string): PriceEntry[] {
    for (const name of normalizeModelName(model).candidates) {
      const entries = this.byName.get(name);
      if (entries) return [...new Set(entries)];
    }
    return [];
  }

  /**
   * The entry for a model. With a provider, only that provider's price (or one that applies to any
   * provider) counts: Groq's price is not Together's. Without one, a name several providers sell is
   * ambiguous rather than silently priced at one of them.
   */
  lookup(model: string, provider?: string): IndexLookup {
    const normalized = normalizeModelName(model);
    const hint = provider ?? normalized.provider;
    let ambiguous: string[] | undefined;
    for (const name of normalized.candidates) {
      const entries = this.byName.get(name);
      if (!entries) continue;
      if (hint) {
        const entry =
          entries.find((e) => e.provider === hint) ?? entries.find((e) => e.provider === ANY_PROVIDER);
        if (entry) return { entry };
        continue;
      }
      const providers = [...new Set(entries.map((e) => e.provider))];
      if (providers.length === 1) return { entry: entries[0] };
      const generic = entries.find((e) => e.provider === ANY_PROVIDER);
      if (generic) return { entry: generic };
      ambiguous ??= providers;
    }
    return ambiguous ? { ambiguous } : undefined;
  }
}
