import type { QualityQuery, QualitySource } from './rollout-evidence.js';

export interface QualityPair {
  route: string;
  baseline: string;
  candidate: string;
  atMs: number;
  /** Candidate score − baseline score, in [−1, 1]. */
  difference: number;
}

/** Judged pairs held in memory: for tests, the bench and demos, until the shadow-pair store lands. */
export class MemoryQualitySource implements QualitySource {
  private readonly pairs: QualityPair[] = [];

  add(pair: QualityPair): void {
    if (!(pair.difference >= -1 && pair.difference <= 1))
      throw new RangeError(`a score difference is in [-1, 1], got ${pair.difference}`);
    this.pairs.push(pair);
  }

  async differences(query: QualityQuery): Promise<readonly number[]> {
    return this.pairs
      .filter(
        (p) =>
          p.route === query.route &&
          p.baseline === query.baseline &&
          p.candidate === query.candidate &&
          p.atMs >= query.fromMs,
      )
      .map((p) => p.difference);
  }
}
