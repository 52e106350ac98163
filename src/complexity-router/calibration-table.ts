/** One band of scores and what happened to the requests in it. */
export interface CalibrationBand {
  /** The band is [low, high), the last one closed. */
  low: number;
  high: number;
  rows: number;
  meanScore: number;
  /** Share of the band's requests where the strong model's answer was better. */
  strongBetter: number;
  /** Mean quality gain of the strong model over the weak one, in the data's own units. */
  meanGain: number;
}

/**
 * Requests grouped by score band: a calibrated router's bands should show the strong model's
 * lead growing from the lowest band to the highest, and spread the requests over many bands.
 */
export function calibrationTable(
  scores: ArrayLike<number>,
  strong: ArrayLike<number>,
  weak: ArrayLike<number>,
  bands = 10,
): CalibrationBand[] {
  const out: CalibrationBand[] = Array.from({ length: bands }, (_, k) => ({
    low: k / bands,
    high: (k + 1) / bands,
    rows: 0,
    meanScore: 0,
    strongBetter: 0,
    meanGain: 0,
  }));
  for (let i = 0; i < scores.length; i++) {
    const b = out[Math.min(bands - 1, Math.max(0, Math.floor(scores[i] * bands)))];
    b.rows++;
    b.meanScore += scores[i];
    if (strong[i] > weak[i]) b.strongBetter++;
    b.meanGain += strong[i] - weak[i];
  }
  for (const b of out)
    if (b.rows > 0) {
      b.meanScore /= b.rows;
      b.strongBetter /= b.rows;
      b.meanGain /= b.rows;
    }
  return out;
}

/** The table as aligned text, empty bands left out. */
export function formatCalibrationTable(bands: readonly CalibrationBand[]): string {
  const total = bands.reduce((n, b) => n + b.rows, 0);
  const header = ['score band', 'requests', 'share', 'mean score', 'strong better', 'mean gain'];
  const body = bands
    .filter((b) => b.rows > 0)
    .map((b) => [
      `${b.low.toFixed(1)}-${b.high.toFixed(1)}`,
      String(b.rows),
      `${((100 * b.rows) / total).toFixed(1)}%`,
      b.meanScore.toFixed(3),
      `${(100 * b.strongBetter).toFixed(1)}%`,
      b.meanGain.toFixed(3),
    ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line), ''].join('\n');
}
