export interface MeanBounds {
  /** Plain mean of the values (0 when there are none). */
  estimate: number;
  lower: number;
  upper: number;
  samples: number;
}

export interface ValueRange {
  min: number;
  max: number;
}

/**
 * Largest bet on one observation. Waudby-Smith & Ramdas use 1/2 or 3/4; 1/2 keeps the first,
 * noisiest observations from moving the bound much.
 */
const MAX_BET = 0.5;

/**
 * Anytime-valid bounds on the mean of values in [min, max] observed one after another: the
 * predictable plug-in empirical-Bernstein confidence sequence (PrPl-EB) of Waudby-Smith & Ramdas
 * (2024), "Estimating means of bounded random variables by betting", J. R. Stat. Soc. B 86(1),
 * Theorem 2 (https://arxiv.org/abs/2010.09686), one-sided at level `alpha` on each side, with the
 * running intersection taken (a confidence sequence stays valid when each bound keeps its best value
 * so far).
 *
 * Each bound holds at every sample count at once with probability at least 1 − alpha, so a gate may
 * look at it after every check without the false-pass rate growing with the number of looks (which a
 * fixed-sample t-test or bootstrap interval checked repeatedly would not survive). It adapts to the
 * variance: paired differences that are mostly small give a tight bound long before the range
 * [min, max] would suggest. The order of values matters (each bet uses only earlier values); they
 * are pushed in the order they were observed, and pushing more extends the same sequence.
 */
export class MeanConfidenceSequence {
  private readonly width: number;
  private readonly lowerSide: LowerBound;
  private readonly upperSide: LowerBound;
  private sum = 0;
  private count = 0;

  constructor(
    private readonly range: ValueRange,
    alpha: number,
  ) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
    this.width = range.max - range.min;
    if (!(this.width > 0)) throw new RangeError('range.max must be larger than range.min');
    this.lowerSide = new LowerBound(alpha);
    this.upperSide = new LowerBound(alpha);
  }

  get samples(): number {
    return this.count;
  }

  push(value: number): void {
    if (!(value >= this.range.min && value <= this.range.max))
      throw new RangeError(
        `value ${value} at position ${this.count} is outside [${this.range.min}, ${this.range.max}]`,
      );
    const unit = (value - this.range.min) / this.width;
    this.lowerSide.push(unit);
    this.upperSide.push(1 - unit);
    this.sum += value;
    this.count++;
  }

  bounds(): MeanBounds {
    return {
      estimate: this.count ? this.sum / this.count : 0,
      lower: this.range.min + this.width * this.lowerSide.best,
      upper: this.range.min + this.width * (1 - this.upperSide.best),
      samples: this.count,
    };
  }
}

/** The bounds after all of `values`, in order. */
export function meanConfidenceSequence(
  values: ArrayLike<number>,
  range: ValueRange,
  alpha: number,
): MeanBounds {
  const sequence = new MeanConfidenceSequence(range, alpha);
  for (let i = 0; i < values.length; i++) sequence.push(values[i]);
  return sequence.bounds();
}

/**
 * The PrPl-EB lower bound for values in [0, 1] (fed 1 − x, it gives the upper bound):
 * L_t = (Σ λ_i x_i − ln(1/α) − Σ v_i ψ(λ_i)) / Σ λ_i with v_i = 4 (x_i − μ̂_{i−1})² and
 * ψ(λ) = (−ln(1 − λ) − λ) / 4, bets λ_t = min(1/2, √(2 ln(1/α) / (σ̂²_{t−1} t ln(1 + t)))) and the
 * regularised estimates μ̂_t = (1/2 + Σ x_i) / (t + 1), σ̂²_t = (1/4 + Σ (x_i − μ̂_i)²) / (t + 1).
 * Keeps the largest L_t so far (the running intersection).
 */
class LowerBound {
  private readonly logInvAlpha: number;
  private t = 0;
  private mean = 0.5;
  private variance = 0.25;
  private sum = 0;
  private squares = 0;
  private bets = 0;
  private betValue = 0;
  private penalty = 0;
  best = 0;

  constructor(alpha: number) {
    this.logInvAlpha = Math.log(1 / alpha);
  }

  push(x: number): void {
    const t = ++this.t;
    const bet = Math.min(MAX_BET, Math.sqrt((2 * this.logInvAlpha) / (this.variance * t * Math.log(1 + t))));
    const deviation = x - this.mean;
    this.penalty += deviation * deviation * (-Math.log1p(-bet) - bet);
    this.bets += bet;
    this.betValue += bet * x;
    const bound = Math.min(1, (this.betValue - this.logInvAlpha - this.penalty) / this.bets);
    if (bound > this.best) this.best = bound;
    this.sum += x;
    this.mean = (0.5 + this.sum) / (t + 1);
    this.squares += (x - this.mean) * (x - this.mean);
    this.variance = (0.25 + this.squares) / (t + 1);
  }
}
