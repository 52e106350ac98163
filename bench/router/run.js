// Router benchmark: leave-one-benchmark-out accuracy on the public routing data, the shipped
// router on every benchmark, and the cost of one decision broken down by the parts of the scan.
// It imports the compiled library, so build first:   npm run build && node bench/router/run.js
// Options: --data-dir DIR (default ../shared/data/routing), --bootstrap N (default 1000),
//          --only lobo|shipped|latency, --benchmarks a,b (LOBO subset), --json,
//          --train-on ship|research (LOBO training rows: those that may train the shipped router,
//          default, or those whose licence allows training a router for a reported evaluation).
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  calibrationTable,
  compareWithBaselines,
  dataFileOf,
  DEFAULT_ROUTING_DATA_DIR,
  defaultRouterModel,
  extractFeatures,
  leaveOneBenchmarkOut,
  loadRoutingBenchmarks,
  scoreRequest,
  scoreScratch,
  calibrateLogit,
  trainingRows,
} from '../../dist/complexity-router/index.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: DEFAULT_ROUTING_DATA_DIR },
    bootstrap: { type: 'string', default: '1000' },
    only: { type: 'string' },
    benchmarks: { type: 'string' },
    json: { type: 'boolean', default: false },
    'train-on': { type: 'string', default: 'ship' },
  },
});
const part = (name) => values.only === undefined || values.only === name;
const resamples = Number(values.bootstrap);
const dir = resolve(values['data-dir']);
const all = loadRoutingBenchmarks(dir);
const log = (line) => process.stderr.write(`${line}\n`);
const num = (x) => x.toFixed(3);
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const ci = (i, f) => `${f(i.value)} [${f(i.low)}, ${f(i.high)}]`;
const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
const started = performance.now();

// 1. Leave one benchmark out. Each fold's router is trained by the shipped recipe (hyper-parameters
//    chosen by inner cross-validation on the training rows only) on the rows the shipped router may
//    be trained on (licence, plausible labels), minus the held-out benchmark; evaluated on all its rows.
//    With --train-on research the rows are those a router may be trained on for a reported
//    evaluation (AlpacaEval's non-commercial rows too; RouterBench declares no licence and stays out).
const loboBenchmarks = values.benchmarks?.split(',') ?? [
  'mmlu',
  'arena-bench-v1',
  'alpacaeval',
  'arc-challenge',
  'mbpp',
  'winogrande',
];
const trainOn = values['train-on'];
if (trainOn !== 'ship' && trainOn !== 'research') {
  log(`--train-on must be ship or research, not ${trainOn}`);
  process.exit(2);
}
const trainable = new Set(trainingRows(all, trainOn));
const lobo = part('lobo')
  ? leaveOneBenchmarkOut(all, {
      mayTrain: (e) => trainable.has(e),
      benchmarks: loboBenchmarks,
      resamples,
      onBenchmark: (b, n) =>
        log(
          `leave-one-out: ${b} (training on ${n} rows, ${((performance.now() - started) / 1000).toFixed(0)} s)`,
        ),
    })
  : [];

// 2. The shipped router on every benchmark, beside the length rule and random routing.
function shippedFigures() {
  const model = defaultRouterModel();
  const sources = [...new Set(all.map((e) => e.source))];
  return sources.map((source) => {
    const rows = all.filter((e) => e.source === source);
    const scores = Float64Array.from(rows, (e) => scoreRequest(model, e.input));
    return {
      source,
      benchmark: rows[0].benchmark,
      inTraining: dataFileOf(rows[0]).ship,
      comparison: compareWithBaselines(rows, scores, { resamples, seed: 1 }),
      calibration: calibrationTable(
        scores,
        rows.map((e) => e.strong),
        rows.map((e) => e.weak),
      ),
    };
  });
}
const shipped = part('shipped') ? shippedFigures() : [];

// 3. Cost of one decision with the shipped router over every prompt, each also wrapped as a chat
//    request (system prompt, user turn, max_tokens) and as the follow-up turn of a conversation
//    whose earlier user turn is the previous prompt (the scan reads its opening too), after a
//    warm-up pass; then the same inputs through each part of the scan alone, so the budget can be
//    split between them.
function measureLatency() {
  const model = defaultRouterModel();
  const inputs = [];
  all.forEach((e, i) => {
    inputs.push(e.input);
    inputs.push({
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: e.input },
      ],
      max_tokens: 512,
    });
    const earlier = all[(i + all.length - 1) % all.length].input;
    inputs.push([
      { role: 'user', content: earlier },
      { role: 'assistant', content: 'Here is a first answer.' },
      { role: 'user', content: e.input },
    ]);
  });
  const passes = 3;
  const time = (fn) => {
    for (const input of inputs) fn(input);
    const timings = new Float64Array(inputs.length * passes);
    let t = 0;
    let sink = 0;
    for (let p = 0; p < passes; p++)
      for (const input of inputs) {
        const start = process.hrtime.bigint();
        sink += fn(input);
        timings[t++] = Number(process.hrtime.bigint() - start) / 1000;
      }
    if (Number.isNaN(sink)) log('unreachable');
    timings.sort();
    const q = (x) => timings[Math.min(timings.length - 1, Math.floor(x * timings.length))];
    const mean = timings.reduce((a, b) => a + b, 0) / timings.length;
    return { p50Us: q(0.5), p99Us: q(0.99), maxUs: timings[timings.length - 1], meanUs: mean };
  };
  const buf = model.scratch;
  const cfg = model.features;
  const stages = [
    {
      name: 'character scan: lengths, structure, code, numbers, lists, script (no word lookups)',
      run: (input) => (extractFeatures(input, cfg, buf, { cues: false, lexical: false }), 0),
    },
    {
      name: '+ cue-word lookups: task kind, reasoning, constraints, math and quantity words',
      run: (input) => (extractFeatures(input, cfg, buf, { cues: true, lexical: false }), 0),
    },
    {
      name: `+ hashed word features (${cfg.lexicalScale > 0 ? `2^${cfg.hashBits} buckets` : 'off in this model'})`,
      run: (input) => (extractFeatures(input, cfg, buf, { cues: true, lexical: true }), 0),
    },
    {
      name: '+ weights and calibration: the whole decision (scoreRequest)',
      run: (input) => scoreRequest(model, input),
    },
  ];
  const measured = stages.map((s) => ({ name: s.name, ...time(s.run) }));
  // The weights and calibration alone, on features already in the scratch buffer.
  extractFeatures(inputs[0], cfg, buf);
  const scoring = time(() => calibrateLogit(model.logitKnots, scoreScratch(model)));
  const promptChars = Float64Array.from(all, (e) => e.input.length).sort();
  return {
    decisions: inputs.length * passes,
    passes,
    stages: measured,
    scoringOnly: scoring,
    promptCharsMedian: promptChars[promptChars.length >> 1],
    promptCharsP99: promptChars[Math.floor(promptChars.length * 0.99)],
    loadAverage: loadavg()[0],
    cpus: cpus().length,
  };
}
const latency = part('latency') ? measureLatency() : undefined;

if (values.json) {
  process.stdout.write(`${JSON.stringify({ leaveOneBenchmarkOut: lobo, shipped, latency })}\n`);
  process.exit(0);
}
const verdict = (d) =>
  d.low > 0 ? 'beats it (interval above 0)' : d.high < 0 ? 'loses (interval below 0)' : 'not separated';
const out = [`# Router benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version})`, ''];
if (lobo.length > 0) {
  out.push(
    '## Leave one benchmark out',
    '',
    `Each row: a router trained by the shipped recipe on ${trainOn === 'ship' ? 'the rows that may train the shipped router (MMLU without subjects whose strong-model labels fall below chance, Arena-Bench)' : "the rows whose licence allows training a router for a reported evaluation (MMLU without subjects whose strong-model labels fall below chance, Arena-Bench, AlpacaEval's non-commercial rows; nothing trained on them ships)"} of the other benchmarks, hyper-parameters chosen by inner cross-validation on those rows only, evaluated on every row of the held-out benchmark. A kind of request (multiple-choice or open) with fewer than 50 training rows is ranked by the length rule. ` +
      `95% bootstrap intervals (${resamples} resamples); the difference to the length rule is paired.`,
    '',
    '| held-out benchmark (weak model) | rows | trained on | router APGR | length-rule APGR | random APGR | router − length rule | verdict | strong calls for 50% / 80% of gap |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of lobo)
    for (const s of r.sources) {
      const c = s.comparison;
      out.push(
        `| ${s.source} | ${s.rows} | ${r.trainedOn.join(' + ')} (${r.trainingRows}) | ${ci(c.router.apgr, num)} | ${ci(c.longestPrompt.apgr, num)} | ${ci(c.random.apgr, num)} | ${ci(s.apgrVsLength, signed)} | ${verdict(s.apgrVsLength)} | ${pct(c.router.cpt50.value)} / ${pct(c.router.cpt80.value)} |`,
      );
    }
  out.push('', 'Hyper-parameters chosen per fold (inner cross-validation on the training rows):', '');
  for (const r of lobo) {
    const best = r.selection.scores.find((s) => s.candidate === r.selection.best);
    out.push(
      `- ${r.benchmark}: l2 ${r.selection.best.l2}, kind penalty ${r.selection.best.kindPenalty}, prior ${r.selection.best.prior}, length anchor ${r.selection.best.lengthAnchor}, lexical ${r.selection.best.lexicalScale} (${r.selection.method}, inner mean APGR ${num(best.meanApgr)})`,
    );
  }
  out.push('');
}
if (shipped.length > 0) {
  out.push(
    '## The shipped router on every benchmark',
    '',
    `${defaultRouterModel().metadata.trainingData}`,
    '',
    '| benchmark (weak model) | rows | in its training data | router APGR | length-rule APGR | random APGR | router − length rule | strong calls for 50% of gap | for 80% |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const s of shipped) {
    const c = s.comparison;
    out.push(
      `| ${s.source} | ${c.rows} | ${s.inTraining ? 'yes' : 'no'} | ${ci(c.router.apgr, num)} | ${ci(c.longestPrompt.apgr, num)} | ${ci(c.random.apgr, num)} | ${ci(c.apgrVsLength, signed)} | ${ci(c.router.cpt50, pct)} | ${ci(c.router.cpt80, pct)} |`,
    );
  }
  out.push(
    '',
    "Calibration: share of each benchmark's requests per score band, and how often the strong model was better there.",
    '',
  );
  out.push(
    `| benchmark | ${shipped[0].calibration.map((b) => `${b.low.toFixed(1)}-${b.high.toFixed(1)}`).join(' | ')} |`,
  );
  out.push(`|---|${shipped[0].calibration.map(() => '---').join('|')}|`);
  for (const s of shipped)
    out.push(
      `| ${s.source} | ${s.calibration.map((b) => (b.rows === 0 ? '–' : `${pct(b.rows / s.comparison.rows)} (${pct(b.strongBetter)})`)).join(' | ')} |`,
    );
  out.push('');
}
if (latency) {
  out.push(
    '## Cost of one decision (shipped router)',
    '',
    `${latency.decisions} timed calls per row over ${all.length} prompts (median ${latency.promptCharsMedian} chars, p99 ${latency.promptCharsP99} chars), each as a bare prompt, a chat request and the last turn of a two-turn conversation; ${latency.passes} passes after a warm-up. ` +
      `Machine: ${latency.cpus} CPUs, 1-minute load average ${latency.loadAverage.toFixed(1)}. Each row runs the parts above it too; its added cost is the difference in means.`,
    '',
    '| part | p50 | p99 | mean | added mean | share of the 50 µs budget (p99) |',
    '|---|---|---|---|---|---|',
  );
  let prev = 0;
  for (const s of latency.stages) {
    out.push(
      `| ${s.name} | ${s.p50Us.toFixed(1)} µs | ${s.p99Us.toFixed(1)} µs | ${s.meanUs.toFixed(2)} µs | ${(s.meanUs - prev).toFixed(2)} µs | ${pct(s.p99Us / 50)} |`,
    );
    prev = s.meanUs;
  }
  const whole = latency.stages[latency.stages.length - 1];
  out.push(
    `| weights and calibration alone (features already extracted) | ${latency.scoringOnly.p50Us.toFixed(2)} µs | ${latency.scoringOnly.p99Us.toFixed(2)} µs | ${latency.scoringOnly.meanUs.toFixed(2)} µs | | ${pct(latency.scoringOnly.p99Us / 50)} |`,
    '',
    `Decision p99 ${whole.p99Us.toFixed(1)} µs: goal p99 < 50 µs ${whole.p99Us < 50 ? 'met' : 'NOT met'}.`,
    '',
  );
}
process.stdout.write(out.join('\n'));
