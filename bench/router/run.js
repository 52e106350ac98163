// Router benchmark: accuracy goals on public routing data and the cost of one scoring decision.
// It imports the compiled library, so build first:   npm run build && node bench/router/run.js
// Options: --data-dir DIR (default ../shared/data/routing), --bootstrap N (default 1000),
//          --runs N (MMLU training samples, default 5), --only mmlu|lobo|latency, --json.
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  bootstrapApgrDifference,
  compareWithBaselines,
  defaultRouterModel,
  DEFAULT_ROUTING_DATA_DIR,
  loadMmluExamples,
  loadRouterBenchExamples,
  MMLU_FILE,
  requestLength,
  ROUTERBENCH_FILE,
  scoreRequest,
  seededRandom,
  trainRouter,
} from '../../dist/router/index.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: DEFAULT_ROUTING_DATA_DIR },
    bootstrap: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const part = (name) => values.only === undefined || values.only === name;
const resamples = Number(values.bootstrap);
const runs = Number(values.runs);
const dir = resolve(values['data-dir']);
const STRONG = 'gpt-4-1106-preview';
const WEAK = 'mistralai/mixtral-8x7b-chat';
const MMLU_LABELS = 1500;

const mmlu = loadMmluExamples(join(dir, MMLU_FILE));
const routerBench = loadRouterBenchExamples(join(dir, ROUTERBENCH_FILE), STRONG, WEAK);
const all = [...mmlu, ...routerBench];
const log = (line) => process.stderr.write(`${line}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const num = (x) => x.toFixed(3);
const ci = (i, f) => `${f(i.value)} (median ${f(i.median)}, 95% CI ${f(i.low)}–${f(i.high)})`;
const scoresOf = (model, examples) => Float64Array.from(examples, (e) => scoreRequest(model, e.input));

// 1. MMLU with at most 1,500 MMLU labels. Training questions come from fold 0 only; the figures are
//    measured on folds 1-4, none of whose labels the router saw. Each run draws a different sample.
const heldOut = mmlu.filter((e) => e.fold !== 0);
const fold0 = mmlu.filter((e) => e.fold === 0);
function sampleFold0(seed) {
  const rand = seededRandom(seed);
  return fold0
    .map((e) => ({ e, key: rand() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, MMLU_LABELS)
    .map((x) => x.e);
}
const mmluRuns = { 'MMLU 1,500 + RouterBench': [], 'MMLU 1,500 only': [] };
for (let run = 1; part('mmlu') && run <= runs; run++) {
  const sample = sampleFold0(run);
  for (const [name, train] of [
    ['MMLU 1,500 + RouterBench', [...sample, ...routerBench]],
    ['MMLU 1,500 only', sample],
  ]) {
    log(`MMLU run ${run}/${runs}: training on ${name} (${train.length} requests)`);
    const model = trainRouter(train);
    const cmp = compareWithBaselines(heldOut, scoresOf(model, heldOut), { resamples, seed: run });
    mmluRuns[name].push(cmp);
  }
}

// 2. Leave one benchmark out: trained on every other benchmark, evaluated on all rows of this one.
const benchmarks = ['mmlu', 'arc-challenge', 'mbpp', 'winogrande'];
const lobo = [];
for (const b of part('lobo') ? benchmarks : []) {
  const train = all.filter((e) => e.benchmark !== b);
  const test = all.filter((e) => e.benchmark === b);
  log(`leave-one-out: ${b} (training on ${train.length}, testing on ${test.length})`);
  const model = trainRouter(train);
  const scores = scoresOf(model, test);
  const cmp = compareWithBaselines(test, scores, { resamples, seed: 1 });
  const lengths = Float64Array.from(test, (e) => requestLength(e.input));
  const diff = bootstrapApgrDifference(
    scores,
    lengths,
    test.map((e) => e.strong),
    test.map((e) => e.weak),
    { resamples, seed: 1 },
  );
  lobo.push({ benchmark: b, rows: test.length, cmp, diff });
}

// 3. Cost of one decision with the shipped router, over every prompt of both data sets, each also
//    wrapped as a chat request (system prompt, user turn, max_tokens), after a warm-up pass.
function measureLatency() {
  const model = defaultRouterModel();
  const inputs = [];
  for (const e of all) {
    inputs.push(e.input);
    inputs.push({
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: e.input },
      ],
      max_tokens: 512,
    });
  }
  for (const input of inputs) scoreRequest(model, input);
  const passes = 3;
  const timings = new Float64Array(inputs.length * passes);
  let t = 0;
  let sink = 0;
  for (let p = 0; p < passes; p++)
    for (const input of inputs) {
      const start = process.hrtime.bigint();
      sink += scoreRequest(model, input);
      timings[t++] = Number(process.hrtime.bigint() - start) / 1000;
    }
  timings.sort();
  // A bare hashing loop over the same characters, to tell a slow or busy machine from slow scoring.
  const fnvLoop = () => {
    let h = 0;
    for (const e of all)
      for (let i = 0; i < e.input.length; i++) h = Math.imul(h ^ e.input.charCodeAt(i), 16777619);
    return h;
  };
  const chars = all.reduce((n, e) => n + e.input.length, 0);
  let h = fnvLoop();
  const calStart = process.hrtime.bigint();
  for (let r = 0; r < 3; r++) h ^= fnvLoop();
  const calibrationNsPerChar = Number(process.hrtime.bigint() - calStart) / (3 * chars);
  if (Number.isNaN(sink + h)) log('unreachable');
  const q = (x) => timings[Math.min(timings.length - 1, Math.floor(x * timings.length))];
  const promptChars = Float64Array.from(all, (e) => e.input.length).sort();
  return {
    decisions: timings.length,
    passes,
    p50Us: q(0.5),
    p99Us: q(0.99),
    maxUs: timings[timings.length - 1],
    promptCharsMedian: promptChars[promptChars.length >> 1],
    promptCharsP99: promptChars[Math.floor(promptChars.length * 0.99)],
    calibrationNsPerChar,
    loadAverage: loadavg()[0],
    cpus: cpus().length,
  };
}
const latency = part('latency') ? measureLatency() : undefined;

// Report.
const mmluSummary = Object.fromEntries(
  Object.entries(mmluRuns)
    .filter(([, list]) => list.length > 0)
    .map(([name, list]) => {
      const apgrs = list.map((c) => c.router.apgr.value);
      const mid = list[apgrs.indexOf(median(apgrs))] ?? list[0];
      return [
        name,
        {
          runs: list.length,
          medianApgr: median(apgrs),
          medianCpt50: median(list.map((c) => c.router.cpt50.value)),
          medianCpt80: median(list.map((c) => c.router.cpt80.value)),
          apgrPerRun: apgrs,
          medianRun: mid,
        },
      ];
    }),
);
if (values.json) {
  process.stdout.write(`${JSON.stringify({ mmlu: mmluSummary, leaveOneBenchmarkOut: lobo, latency })}\n`);
  process.exit(0);
}
const out = [`# Router benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version})`, ''];
const first = Object.values(mmluSummary)[0];
if (first) {
  out.push(
    `## MMLU, at most ${MMLU_LABELS} MMLU labels (fold 0 sample), held-out folds 1-4 (${heldOut.length} questions)`,
    '',
    `Strong ${STRONG} quality ${num(first.medianRun.strongQuality)}, weak Mixtral quality ${num(first.medianRun.weakQuality)}. ` +
      `${runs} training samples; medians across them, and the bootstrap interval (${resamples} resamples) of the median run.`,
    '',
    '| training data | median APGR | median CPT(50%) | median CPT(80%) | median run: APGR | median run: CPT(50%) | goal APGR >= 0.62 and CPT(50%) <= 35% |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [name, s] of Object.entries(mmluSummary)) {
    const r = s.medianRun.router;
    const met = s.medianApgr >= 0.62 && s.medianCpt50 <= 0.35;
    out.push(
      `| ${name} | ${num(s.medianApgr)} | ${pct(s.medianCpt50)} | ${pct(s.medianCpt80)} | ${ci(r.apgr, num)} | ${ci(r.cpt50, pct)} | ${met ? 'met' : 'NOT met'} |`,
    );
  }
  out.push(
    `| baseline: random | | | | ${ci(first.medianRun.random.apgr, num)} | ${ci(first.medianRun.random.cpt50, pct)} | |`,
    `| baseline: longest prompt | | | | ${ci(first.medianRun.longestPrompt.apgr, num)} | ${ci(first.medianRun.longestPrompt.cpt50, pct)} | |`,
    '',
    `APGR per run: ${Object.entries(mmluSummary)
      .map(([n, s]) => `${n}: ${s.apgrPerRun.map(num).join(', ')}`)
      .join('; ')}`,
    '',
  );
}
if (lobo.length > 0) {
  out.push(
    '## Leave one benchmark out (no label from the benchmark in training; evaluated on all its rows)',
    '',
    '| benchmark | rows | router APGR | longest-prompt APGR | APGR difference (paired bootstrap) | router CPT(50%) | goal: beats longest prompt |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of lobo) {
    const verdict =
      r.diff.value > 0
        ? r.diff.low > 0
          ? 'met (CI above 0)'
          : 'met on the point estimate; CI includes 0'
        : 'NOT met';
    out.push(
      `| ${r.benchmark} | ${r.rows} | ${ci(r.cmp.router.apgr, num)} | ${ci(r.cmp.longestPrompt.apgr, num)} | ${ci(r.diff, num)} | ${pct(r.cmp.router.cpt50.value)} | ${verdict} |`,
    );
  }
  out.push('');
}
if (latency) {
  out.push(
    '## Cost of one decision (shipped default router)',
    '',
    `${latency.decisions} decisions over ${all.length} prompts (median ${latency.promptCharsMedian} chars, p99 ${latency.promptCharsP99} chars), each as a bare prompt and as a chat request; ${latency.passes} passes after a warm-up.`,
    `Machine: ${latency.cpus} CPUs, 1-minute load average ${latency.loadAverage.toFixed(1)} during the run; a bare FNV hashing loop over the same text took ${latency.calibrationNsPerChar.toFixed(2)} ns per character.`,
    '',
    '| p50 | p99 | max | goal p99 < 50 µs |',
    '|---|---|---|---|',
    `| ${latency.p50Us.toFixed(1)} µs | ${latency.p99Us.toFixed(1)} µs | ${latency.maxUs.toFixed(1)} µs | ${latency.p99Us < 50 ? 'met' : 'NOT met'} |`,
    '',
  );
}
process.stdout.write(out.join('\n'));
