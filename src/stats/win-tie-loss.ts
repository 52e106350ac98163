export interface WinTieLoss {
  /** Cases where the candidate scored higher than the baseline. */
  wins: number;
  ties: number;
  losses: number;
}

/**
 * Case-by-case comparison of paired scores from the candidate's side. Scores closer than
 * `tieTolerance` count as ties so that floating-point noise in averaged scores is not a win.
 */
export function winTieLoss(
  baseline: readonly number[],
  candidate: readonly number[],
  tieTolerance = 1e-9,
): WinTieLoss {
  if (baseline.length !== candidate.length)
    throw new RangeError(
      `paired samples differ in length: ${baseline.length} baseline, ${candidate.length} candidate`,
    );
  const out: WinTieLoss = { wins: 0, ties: 0, losses: 0 };
  for (let i = 0; i < baseline.length; i++) {
    const d = candidate[i] - baseline[i];
    if (Math.abs(d) <= tieTolerance) out.ties++;
    else if (d > 0) out.wins++;
    else out.losses++;
  }
  return out;
}
