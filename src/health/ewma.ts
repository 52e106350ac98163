/**
 * Exponentially weighted moving average with a half-life in samples: recent calls dominate, one slow
 * outlier does not. Undefined until the first sample so "unknown" is never mistaken for "fast".
 */
export class Ewma {
  private current: number | undefined;
  private readonly alpha: number;

  constructor(halfLifeSamples = 10) {
    this.alpha = 1 - Math.pow(0.5, 1 / Math.max(1, halfLifeSamples));
  }

  add(sample: number): void {
    if (!Number.isFinite(sample)) return;
    this.current = this.current === undefined ? sample : this.current + this.alpha * (sample - this.current);
  }

  get value(): number | undefined {
    return this.current;
  }
}
