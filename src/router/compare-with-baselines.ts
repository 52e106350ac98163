import { requestLength } from './labelled-data.js';
import { evaluateRouting, type Interval, type RoutingEvaluation } from './routing-metrics.js';
import { seededRandom } from './seeded-random.js';
import type { LabelledExample } from './train-router.js';

export interface RouterComparison {
  rows: number;
  strongQuality: number;
  weakQuality: number;
  router: RoutingEvaluation;
  /** Scores drawn uniformly at random: PGR grows linearly, APGR ≈ 0.5. */
  random: RoutingEvaluation;
  /** Longest prompts to the strong model first. */
  longestPrompt: RoutingEvaluation;
}

export interface CompareOptions {
  resamples?: number;
  seed?: number;
  points?: number;
}

/** Evaluates router scores against the random and route-longest-prompts baselines on one table. */
export function compareWithBaselines(
  examples: readonly LabelledExample[],
  scores: ArrayLike<number>,
  options: CompareOptions = {},
): RouterComparison {
  const strong = Float64Array.from(examples, (e) => e.strong);
  const weak = Float64Array.from(examples, (e) => e.weak);
  const rand = seededRandom((options.seed ?? 1) ^ 0x5eed);
  const randomScores = Float64Array.from(examples, () => rand());
  const lengths = Float64Array.from(examples, (e) => requestLength(e.input));
  const router = evaluateRouting({ scores, strong, weak }, options);
  return {
    rows: examples.length,
    strongQuality: router.strongQuality,
    weakQuality: router.weakQuality,
    router,
    random: evaluateRouting({ scores: randomScores, strong, weak }, options),
    longestPrompt: evaluateRouting({ scores: lengths, strong, weak }, options),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => x.toFixed(3);

function cell(i: Interval, fmt: (x: number) => string): string {
  return `${fmt(i.value)} [${fmt(i.low)}, ${fmt(i.high)}]`;
}

/** A plain-text table: one row per router, figures with their 95% bootstrap intervals. */
export function formatComparison(c: RouterComparison): string {
  const rows: [string, RoutingEvaluation][] = [
    ['router', c.router],
    ['random', c.random],
    ['longest-prompt', c.longestPrompt],
  ];
  const header = ['', 'APGR', 'CPT(50%)', 'CPT(80%)'];
  const body = rows.map(([name, e]) => [name, cell(e.apgr, num), cell(e.cpt50, pct), cell(e.cpt80, pct)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `${c.rows} requests; strong quality ${num(c.strongQuality)}, weak quality ${num(c.weakQuality)}`,
    line(header),
    ...body.map(line),
    'Intervals: 95% bootstrap percentile intervals.',
    '',
  ].join('\n');
}
