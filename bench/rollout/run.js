// Rollout benchmark: how often the gated cutover promotes a worse candidate, and how long it takes
// to promote an equal one, on simulated traffic driven through the real controller, gates and
// confidence sequences. It imports the compiled library, so build first:
//   npm run build && npm run bench:rollout
// Options: --rollouts N (per scenario, default 1000), --seed N (default 1), --json,
//          --margin X, --alpha X (quality gate; default: the config defaults),
//          --sweep (also a grid of margin × alpha, to show the trade-off), --sweep-rollouts N
//          (per scenario and grid point, default 100).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { rolloutSchema } from '../../dist/config/schema/rollouts-schema.js';
import { MemoryRolloutStore, RolloutController, normalizeRollout } from '../../dist/rollout/index.js';

const { values } = parseArgs({
  options: {
    rollouts: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    margin: { type: 'string' },
    alpha: { type: 'string' },
    sweep: { type: 'boolean', default: false },
    'sweep-rollouts': { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const ROLLOUTS = Number(values.rollouts);
const SEED = Number(values.seed);
const log = (line) => process.stderr.write(`${line}\n`);

// The simulated route. Every figure below is an input of the simulation, printed with the results.
const TRAFFIC = {
  requestsPerMinute: 600, // 10 requests/s on the route, Poisson
  judgedPairsPerMinute: 30, // 5% of requests shadowed to the candidate and judged, Poisson
  baselineErrorRate: 0.005,
  candidateErrorRate: [0.002, 0.01], // drawn uniformly per rollout
  errorBurstChancePerMinute: 0.001, // a blip about once a day: that minute the candidate fails 25% of calls
  errorBurstRate: 0.25,
  latencyMedianMs: [700, 1100], // drawn uniformly per rollout; lognormal per request
  latencySigma: 0.45,
  maxHours: 48, // a rollout still undecided then counts as held
};
/**
 * Judged pairs: each answer scored on a 5-point rubric (0, 0.25, …, 1) by a judge, difference
 * candidate − baseline. For an equal candidate the difference is symmetric: a tie half the time, one
 * rubric step either way 20% each, two steps 5% each (standard deviation 0.22). The worse candidate
 * loses one more step on 8% of pairs: a mean of exactly −0.08 × 0.25 = −0.02, two points on a
 * 100-point scale.
 */
const DIFFERENCES = [-0.5, -0.25, 0, 0.25, 0.5];
const DIFFERENCE_CDF = [0.05, 0.25, 0.75, 0.95, 1];
const SCENARIOS = [
  { name: 'candidate 2 points worse', shift: -0.02, extraLossShare: 0.08 },
  { name: 'candidate equal', shift: 0, extraLossShare: 0 },
];
const BASE_CONFIG = {
  route: 'support',
  baseline: 'gpt-4o',
  candidate: 'llama-70b',
  gates: { latency: { p95MaxMs: 2500 } },
};

/** mulberry32, so every run of the bench with a seed draws the same traffic. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Poisson(λ): Knuth's product method for small λ, a rounded normal beyond (the error is negligible at λ ≥ 30). */
function poisson(random, lambda) {
  if (lambda <= 0) return 0;
  if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** Binomial(n, p): sums geometric gaps when np is small, a rounded normal when n·p·(1−p) ≥ 25. */
function binomial(random, n, p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n * p * (1 - p) >= 25)
    return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(random))));
  const logQ = Math.log1p(-p);
  let k = 0;
  for (
    let i = Math.floor(Math.log(1 - random()) / logQ);
    i < n;
    i += Math.floor(Math.log(1 - random()) / logQ) + 1
  )
    k++;
  return k;
}

/**
 * The route as the controller sees it: a RolloutEvidence that generates each minute's traffic at the
 * share the controller set, and keeps per-stage counts (reset on every transition) and the judged
 * pairs since the rollout started.
 */
class SimulatedRoute {
  constructor(random, scenario) {
    this.random = random;
    this.scenario = scenario;
    const [eLo, eHi] = TRAFFIC.candidateErrorRate;
    this.candidateErrorRate = eLo + (eHi - eLo) * random();
    const [mLo, mHi] = TRAFFIC.latencyMedianMs;
    this.latencyMedianMs = mLo + (mHi - mLo) * random();
    this.pairs = [];
    this.candidateRequestsTotal = 0;
    this.resetStage();
  }

  resetStage() {
    this.stage = {
      baseline: { requests: 0, errors: 0, timed: 0 },
      candidate: { requests: 0, errors: 0, timed: 0, overLimit: 0 },
    };
  }

  /** One minute of traffic with the candidate serving `percent` of it. */
  minute(percent, latencyLimitMs) {
    const r = this.random;
    const requests = poisson(r, TRAFFIC.requestsPerMinute);
    const toCandidate = binomial(r, requests, percent / 100);
    const burst = r() < TRAFFIC.errorBurstChancePerMinute;
    const errorRate = burst ? TRAFFIC.errorBurstRate : this.candidateErrorRate;
    const c = this.stage.candidate;
    const failed = binomial(r, toCandidate, errorRate);
    c.requests += toCandidate;
    c.errors += failed;
    c.timed += toCandidate - failed;
    const overShare = 1 - normalCdf(Math.log(latencyLimitMs / this.latencyMedianMs) / TRAFFIC.latencySigma);
    c.overLimit += binomial(r, toCandidate - failed, overShare);
    this.candidateRequestsTotal += toCandidate;
    const b = this.stage.baseline;
    const baselineFailed = binomial(r, requests - toCandidate, TRAFFIC.baselineErrorRate);
    b.requests += requests - toCandidate;
    b.errors += baselineFailed;
    b.timed += requests - toCandidate - baselineFailed;
    const pairs = poisson(r, TRAFFIC.judgedPairsPerMinute);
    for (let i = 0; i < pairs; i++) {
      const u = r();
      let d = DIFFERENCES[DIFFERENCE_CDF.findIndex((edge) => u < edge)];
      if (r() < this.scenario.extraLossShare) d -= 0.25;
      this.pairs.push(d);
    }
  }

  // RolloutEvidence: the pairs list only grows, as the QualitySource contract asks.
  async collect() {
    const p95Ms = this.latencyMedianMs * Math.exp(1.6448536 * TRAFFIC.latencySigma);
    const timing = (timed, overLimit) => ({ samples: timed, overLimit, p95Ms: timed ? p95Ms : null });
    const none = { samples: 0, overLimit: 0, p95Ms: null };
    const { baseline, candidate } = this.stage;
    return {
      baseline: {
        requests: baseline.requests,
        errors: baseline.errors,
        latency: timing(baseline.timed, 0),
        ttft: none,
      },
      candidate: {
        requests: candidate.requests,
        errors: candidate.errors,
        latency: timing(candidate.timed, candidate.overLimit),
        ttft: none,
      },
      qualityDifferences: this.pairs,
    };
  }
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
function normalCdf(x) {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const tail =
    d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}

async function simulate(config, scenario, random) {
  const route = new SimulatedRoute(random, scenario);
  const t0 = Date.UTC(2026, 11, 1, 9);
  let nowMs = t0;
  let status = 'running';
  let reached = 0;
  let pastFirst = false;
  let pairsAtQualityPass = null;
  let firstAdvanceMinutes = null;
  const rollbackCauses = [];
  const controller = new RolloutController({
    rollouts: [config],
    store: new MemoryRolloutStore(),
    evidence: route,
    now: () => nowMs,
    notifier: {
      notify: (_config, event) => {
        const t = event.transition;
        if (t.kind === 'start') return;
        route.resetStage();
        status = event.rollout.status;
        reached = Math.max(reached, t.toPercent);
        if (t.kind === 'advance') pastFirst = true;
        if (t.kind === 'advance' && firstAdvanceMinutes === null)
          firstAdvanceMinutes = (t.atMs - t0) / 60_000;
        if (t.kind === 'rollback')
          rollbackCauses.push(
            ...(t.check?.gates ?? []).filter((g) => g.status === 'fail').map((g) => g.gate),
          );
      },
    },
    log: () => {},
  });
  await controller.start();
  reached = controller.share(config.route).candidatePercent;
  const latencyLimitMs = config.gates.latency?.p95MaxMs ?? Number.POSITIVE_INFINITY;
  const maxMinutes = TRAFFIC.maxHours * 60;
  let minutes = 0;
  while (minutes < maxMinutes && status !== 'completed' && status !== 'rolled_back') {
    route.minute(controller.share(config.route).candidatePercent, latencyLimitMs);
    nowMs += 60_000;
    minutes++;
    const [check] = await controller.tick();
    if (pairsAtQualityPass === null && check?.gates.some((g) => g.gate === 'quality' && g.status === 'pass'))
      pairsAtQualityPass = check.gates.find((g) => g.gate === 'quality').samples;
  }
  return {
    pairsAtQualityPass,
    firstAdvanceMinutes,
    rollbackCauses,
    outcome: status === 'completed' ? 'promoted' : status === 'rolled_back' ? 'rolled_back' : 'held',
    reached,
    pastFirst,
    minutes,
    pairs: route.pairs.length,
    candidateRequests: route.candidateRequestsTotal,
  };
}

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Wilson score 95% interval for a proportion. */
function wilson(k, n) {
  const z = 1.959964;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

async function runScenario(config, scenario, n, seed) {
  const random = seeded(seed);
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await simulate(config, scenario, random));
  const promoted = runs.filter((r) => r.outcome === 'promoted');
  return {
    scenario: scenario.name,
    trueMeanDifference: scenario.shift,
    rollouts: n,
    promoted: promoted.length,
    promotedInterval: wilson(promoted.length, n),
    pastFirstStage: runs.filter((r) => r.pastFirst).length,
    rolledBack: runs.filter((r) => r.outcome === 'rolled_back').length,
    held: runs.filter((r) => r.outcome === 'held').length,
    medianPairsToPromote: median(promoted.map((r) => r.pairs)),
    medianCandidateRequestsToPromote: median(promoted.map((r) => r.candidateRequests)),
    medianHoursToPromote: median(promoted.map((r) => r.minutes / 60)),
    medianHoursInFirstStage: median(promoted.map((r) => r.firstAdvanceMinutes / 60)),
    medianHoursToRollback: median(runs.filter((r) => r.outcome === 'rolled_back').map((r) => r.minutes / 60)),
    qualityPassed: runs.filter((r) => r.pairsAtQualityPass !== null).length,
    medianPairsAtQualityPass: median(
      runs.filter((r) => r.pairsAtQualityPass !== null).map((r) => r.pairsAtQualityPass),
    ),
    rollbacksBy: Object.fromEntries(
      ['quality', 'errorRate', 'latency'].map((gate) => [
        gate,
        runs.filter((r) => r.outcome === 'rolled_back' && r.rollbackCauses.includes(gate)).length,
      ]),
    ),
  };
}

const pct = (k, n) => `${((100 * k) / n).toFixed(1)}%`;
const num = (x, digits = 0) =>
  x === null ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: digits });

function table(rows) {
  const header = [
    'scenario',
    'promoted to 100% (95% CI)',
    'past 1%',
    'rolled back: quality / errors / latency',
    'held 48 h',
    'pairs at quality pass',
    'hours at 1%',
    'hours to promote',
    'candidate requests to promote',
    'hours to rollback',
  ];
  const cells = rows.map((r) => [
    r.scenario,
    `${pct(r.promoted, r.rollouts)} (${(100 * r.promotedInterval[0]).toFixed(1)}–${(100 * r.promotedInterval[1]).toFixed(1)}%)`,
    pct(r.pastFirstStage, r.rollouts),
    `${pct(r.rolledBack, r.rollouts)}: ${r.rollbacksBy.quality} / ${r.rollbacksBy.errorRate} / ${r.rollbacksBy.latency}`,
    `${r.held}`,
    num(r.medianPairsAtQualityPass),
    num(r.medianHoursInFirstStage, 1),
    num(r.medianHoursToPromote, 1),
    num(r.medianCandidateRequestsToPromote),
    num(r.medianHoursToRollback, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function configWith(quality) {
  return normalizeRollout(
    rolloutSchema.parse({ ...BASE_CONFIG, gates: { ...BASE_CONFIG.gates, quality: { ...quality } } }),
  );
}

const defaults = rolloutSchema.parse(BASE_CONFIG);
const quality = {
  ...defaults.gates.quality,
  ...(values.margin !== undefined ? { margin: Number(values.margin) } : {}),
  ...(values.alpha !== undefined ? { alpha: Number(values.alpha) } : {}),
};
const config = configWith(quality);
const started = performance.now();
log(`simulating ${ROLLOUTS} rollouts per scenario (seed ${SEED}) on ${cpus()[0]?.model ?? 'unknown CPU'}`);
const rows = [];
for (const [i, scenario] of SCENARIOS.entries()) {
  rows.push(await runScenario(config, scenario, ROLLOUTS, SEED + i));
  log(`  ${scenario.name}: done after ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const sweep = [];
if (values.sweep) {
  const n = Number(values['sweep-rollouts']);
  for (const margin of [0.005, 0.01, 0.015, 0.02])
    for (const alpha of [0.05, 0.1, 0.2]) {
      const c = configWith({ ...quality, margin, alpha });
      const [worse, equal] = [
        await runScenario(c, SCENARIOS[0], n, SEED + 100),
        await runScenario(c, SCENARIOS[1], n, SEED + 101),
      ];
      sweep.push({ margin, alpha, rollouts: n, worse, equal });
      log(`  sweep margin ${margin} alpha ${alpha}: done`);
    }
}

const stage = config.stages[0];
const settings = {
  traffic: TRAFFIC,
  judge:
    'differences of 5-point rubric scores; equal: ties 50%, ±1 step 20% each, ±2 steps 5% each; worse: one more lost step on 8% of pairs',
  stages: config.stages.map((s) => s.percent),
  minDwellMinutes: stage.minDwellMs / 60_000,
  minRequests: stage.minRequests,
  checkIntervalSeconds: config.checkIntervalMs / 1000,
  gates: config.gates,
  rollback: config.rollback,
};
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ settings, rows, sweep, seconds: (performance.now() - started) / 1000 }, null, 2)}\n`,
  );
} else {
  const g = config.gates;
  const out = [
    `Rollout simulation: ${ROLLOUTS.toLocaleString('en-US')} rollouts per scenario through the real controller (seed ${SEED})`,
    `  route: ${TRAFFIC.requestsPerMinute} requests/min, ${TRAFFIC.judgedPairsPerMinute} judged pairs/min; candidate errors ${TRAFFIC.candidateErrorRate.map((e) => `${e * 100}%`).join('–')} (+ ${TRAFFIC.errorBurstChancePerMinute * 100}% chance per minute of a ${TRAFFIC.errorBurstRate * 100}% burst); latency lognormal, median ${TRAFFIC.latencyMedianMs.join('–')} ms, sigma ${TRAFFIC.latencySigma}`,
    `  judge: ${settings.judge}`,
    `  stages ${settings.stages.join(', ')}%; each ≥ ${settings.minDwellMinutes} min and ≥ ${settings.minRequests} candidate requests; checks every ${settings.checkIntervalSeconds} s; rollback after ${config.rollback.afterFailedChecks} failed checks to ${config.rollback.to}`,
    `  gates: quality margin ${g.quality.margin}, alpha ${g.quality.alpha}, ≥ ${g.quality.minPairs} pairs, window ${g.quality.window}; errors ≤ ${g.errorRate.max * 100}% (alpha ${g.errorRate.alpha}); p95 latency ≤ ${g.latency.p95MaxMs} ms`,
    '',
    table(rows),
    '',
    '  promoted: reached 100% and completed; past 1%: advanced at least once; held: undecided after 48 simulated hours.',
    '  rolled back: share of rollouts, then how many had each gate failing at the rollback.',
    '  medians: judged pairs when the quality gate first passed (rollouts where it did); simulated hours in the',
    '  first stage, hours and candidate requests until completion (promoted rollouts); hours until rollback.',
  ];
  if (sweep.length) {
    out.push('', `Quality gate margin × alpha (${sweep[0].rollouts} rollouts each):`, '');
    const header = [
      'margin',
      'alpha',
      'worse promoted',
      'worse past 1%',
      'equal promoted',
      'equal: pairs at quality pass',
      'equal: hours to promote',
    ];
    const cells = sweep.map((s) => [
      String(s.margin),
      String(s.alpha),
      pct(s.worse.promoted, s.rollouts),
      pct(s.worse.pastFirstStage, s.rollouts),
      pct(s.equal.promoted, s.rollouts),
      num(s.equal.medianPairsAtQualityPass),
      num(s.equal.medianHoursToPromote, 1),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c) =>
      c
        .map((v, i) => v.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    out.push(line(header), ...cells.map(line));
  }
  out.push('', `  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}
