export interface MeanBounds {
  /** Plain mean of the values (0 when there are none). */
  estimate: number;
  lower: number;
  upper: number;
  samples: number;
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
 * Theorem 2 and eq. (13)–(15) (https://arxiv.org/abs/2010.09686), one-sided at level `alpha` on
 * each side, with the running intersection taken (their §6).
 *
 * Each bound holds at every sample count at once with probability at least 1 − alpha, so a gate may
 * look at it after every check without the false-pass rate growing with the number of looks (which a
 * fixed-sample t-test or bootstrap interval checked repeatedly would not survive). It adapts to the
 * variance: paired differences that are mostly small give a tight bound long before the range
 * [min, max] would suggest. The order of `values` matters (each bet uses only earlier values);
 * callers pass them in the order they were observed.
 */
export function meanConfidenceSequence(
  values: ArrayLike<number>,
  range: { min: number; max: number },
  alpha: number,
): MeanBounds {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const width = range.max - range.min;
  if (!(width > 0)) throw new RangeError('range.max must be larger than range.min');
  const n = values.length;
  if (n === 0) return { estimate: 0, lower: range.min, upper: range.max, samples: 0 };
  const unit = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= range.min && v <= range.max))
      throw new RangeError(`value ${v} at position ${i} is outside [${range.min}, ${range.max}]`);
    unit[i] = (v - range.min) / width;
    sum += v;
  }
  const lowerUnit = lowerBound(unit, alpha, false);
  const upperUnit = 1 - lowerBound(unit, alpha, true);
  return {
    estimate: sum / n,
    lower: range.min + width * lowerUnit,
    upper: range.min + width * upperUnit,
    samples: n,
  };
}

/**
 * The PrPl-EB lower bound for values in [0, 1] (of 1 − x when `mirrored`, which gives the upper
 * bound): L_t = (Σ λ_i x_i − ln(1/α) − Σ v_i ψ(λ_i)) / Σ λ_i with v_i = 4 (x_i − μ̂_{i−1})² and
 * ψ(λ) = (−ln(1 − λ) − λ) / 4, bets λ_t = min(1/2, √(2 ln(1/α) / (σ̂²_{t−1} t ln(1 + t)))) and the
 * regularised estimates μ̂_t = (1/2 + Σ x_i) / (t + 1), σ̂²_t = (1/4 + Σ (x_i − μ̂_i)²) / (t + 1).
 * Returns the largest L_t over t (the running intersection).
 */
function lowerBound(unit: Float64Array, alpha: number, mirrored: boolean): number {
  const logInvAlpha = Math.log(1 / alpha);
  let mean = 0.5;
  let variance = 0.25;
  let sum = 0;
  let squares = 0;
  let bets = 0;
  let betValue = 0;
  let penalty = 0;
  let best = 0;
  for (let i = 0; i < unit.length; i++) {
    const x = mirrored ? 1 - unit[i] : unit[i];
    const t = i + 1;
    const bet = Math.min(MAX_BET, Math.sqrt((2 * logInvAlpha) / (variance * t * Math.log(1 + t))));
    const deviation = x - mean;
    penalty += deviation * deviation * (-Math.log1p(-bet) - bet);
    bets += bet;
    betValue += bet * x;
    const bound = (betValue - logInvAlpha - penalty) / bets;
    if (bound > best) best = bound;
    sum += x;
    mean = (0.5 + sum) / (t + 1);
    squares += (x - mean) * (x - mean);
    variance = (0.25 + squares) / (t + 1);
  }
  return Math.min(1, best);
}
