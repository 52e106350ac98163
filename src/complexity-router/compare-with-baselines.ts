import { requestLength } from './labelled-data.js';
import {
  bootstrapApgrDifference,
  evaluateRouting,
  type Interval,
  type RoutingEvaluation,
} from './routing-metrics.js';
import { seededRandom } from '../stats/seeded-random.js';
import type { LabelledExample } from './train-router.js';

export interface RouterComparison {
  rows: number;
  strongQuality: number;
  weakQuality: number;
  router: RoutingEvaluation;
  /** Scores drawn uniformly at random: PGR grows linearly, APGR ≈ 0.5. */
  random: RoutingEvaluation;
  /** The length rule: longest prompts to the strong model first. */
  longestPrompt: RoutingEvaluation;
  /** Paired bootstrap of the router's APGR minus the length rule's, on the same resampled rows. */
  apgrVsLength: Interval;
  /** Other routers scored on the same rows (e.g. the shipped default beside a retrained one). */
  others: { name: string; evaluation: RoutingEvaluation; routerMinusOther: Interval }[];
}

export interface CompareOptions {
  resamples?: number;
  seed?: number;
  points?: number;
  /** Scores of further routers on the same examples, shown beside the router and the baselines. */
  others?: { name: string; scores: ArrayLike<number> }[];
}

/** Evaluates router scores against the random and length-rule baselines on one table. */
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
    apgrVsLength: bootstrapApgrDifference(scores, lengths, strong, weak, options),
    others: (options.others ?? []).map((o) => ({
      name: o.name,
      evaluation: evaluateRouting({ scores: o.scores, strong, weak }, options),
      routerMinusOther: bootstrapApgrDifference(scores, o.scores, strong, weak, options),
    })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

function cell(i: Interval, fmt: (x: number) => string): string {
  return `${fmt(i.value)} [${fmt(i.low)}, ${fmt(i.high)}]`;
}

/** Whether an interval of a difference lies wholly above zero, wholly below, or straddles it. */
export function verdictOf(diff: Interval): 'better' | 'worse' | 'not separated' {
  if (diff.low > 0) return 'better';
  if (diff.high < 0) return 'worse';
  return 'not separated';
}

/**
 * A plain-text table: one row per router with APGR and the cost of recovering 50% and 80% of the
 * quality gap (the share of requests sent to the strong model), each with its 95% bootstrap
 * interval, then the paired difference against the length rule.
 */
export function formatComparison(c: RouterComparison, routerName = 'router'): string {
  const rows: [string, RoutingEvaluation][] = [
    [routerName, c.router],
    ...c.others.map((o): [string, RoutingEvaluation] => [o.name, o.evaluation]),
    ['length rule', c.longestPrompt],
    ['random', c.random],
  ];
  const header = ['', 'APGR', 'strong calls for 50% of gap', 'strong calls for 80% of gap'];
  const body = rows.map(([name, e]) => [name, cell(e.apgr, num), cell(e.cpt50, pct), cell(e.cpt80, pct)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const diffs = [
    `${routerName} − length rule, APGR: ${cell(c.apgrVsLength, signed)} (${verdictOf(c.apgrVsLength)})`,
    ...c.others.map(
      (o) =>
        `${routerName} − ${o.name}, APGR: ${cell(o.routerMinusOther, signed)} (${verdictOf(o.routerMinusOther)})`,
    ),
  ];
  return [
    `${c.rows} requests; strong quality ${num(c.strongQuality)}, weak quality ${num(c.weakQuality)}`,
    line(header),
    ...body.map(line),
    ...diffs,
    'Intervals: 95% bootstrap percentile intervals; differences are paired (same resampled rows).',
    '',
  ].join('\n');
}
