import type { PriceEntry } from './price-entry.js';
import { normalizeModelName } from './normalize-model-name.js';

/** Provider of an entry that applies whoever serves the model (a config override without a prefix). */
export const ANY_PROVIDER = '*';

export type IndexLookup = { entry: PriceEntry } | { ambiguous: string[] } | undefined;

interface Named {
  /** Entries whose own name or alias this is. */
  exact: PriceEntry[];
  /** Entries that answer to it only once a snapshot date is dropped, latest snapshot first. */
  undated: PriceEntry[];
}

/** Price entries by every name they answer to, built once per config load. */
export class PriceIndex {
  private readonly byName = new Map<string, Named>();
  readonly entries: readonly PriceEntry[];

  constructor(entries: Iterable<PriceEntry>) {
    this.entries = [...entries];
    for (const entry of this.entries) {
      const exact = new Set<string>();
      const undated = new Set<string>();
      for (const name of [entry.model, ...(entry.aliases ?? [])]) {
        const n = normalizeModelName(name);
        for (const candidate of n.candidates) if (candidate !== n.undated) exact.add(candidate);
        if (n.undated) undated.add(n.undated);
      }
      for (const name of exact) this.named(name).exact.push(entry);
      for (const name of undated) if (!exact.has(name)) this.named(name).undated.push(entry);
    }
    // A name reached by dropping dates means the newest snapshot (`claude-3-7-sonnet`).
    for (const named of this.byName.values()) named.undated.sort((a, b) => b.model.localeCompare(a.model));
  }

  private named(name: string): Named {
    let named = this.byName.get(name);
    if (!named) {
      named = { exact: [], undated: [] };
      this.byName.set(name, named);
    }
    return named;
  }

  private entriesNamed(name: string): PriceEntry[] | undefined {
    const named = this.byName.get(name);
    if (!named) return undefined;
    return named.exact.length ? named.exact : named.undated;
  }

  /** Every entry answering to the model's most specific known name, whoever sells it. */
  entriesFor(model: string): PriceEntry[] {
    for (const name of normalizeModelName(model).candidates) {
      const entries = this.entriesNamed(name);
      if (entries) return [...new Set(entries)];
    }
    return [];
  }

  /**
   * The entry for a model. With a provider, only that provider's price (or one that applies to any
   * provider) counts: Groq's price is not Together's. Without one, a name several providers sell is
   * ambiguous rather than silently priced at one of them. An exact name wins over one reached by
   * dropping a snapshot date, so a dated snapshot with its own price keeps it.
   */
  lookup(model: string, provider?: string): IndexLookup {
    const normalized = normalizeModelName(model);
    const hint = provider ?? normalized.provider;
    let ambiguous: string[] | undefined;
    for (const name of normalized.candidates) {
      const entries = this.entriesNamed(name);
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
