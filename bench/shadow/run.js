#!/usr/bin/env node
// What shadow traffic costs the client: the primary's latency with every request copied to a slow
// candidate, against the same gateway without shadow, side by side in one run. Prints a table;
// never run as a test.
//
//   npm run build && node bench/shadow/run.js [--seconds 5] [--repeats 3] [--rates 100,300]
//
// Both gateways run the production shape (a virtual key, priced deployments, the incumbent
// baseline, a hard budget) pinned to CPU 0; the simulated upstreams and this load generator run on
// CPU 1. The shadowed gateway copies every request (sample 1) to a candidate that takes
// --candidate-ms to answer and scores each pair with ROUGE-L as it completes, so copies are in
// flight for the whole run. Rounds alternate between the two gateways, so drift in the machine's
// load falls on both; figures are medians over the rounds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  cpuSeconds,
  fixed as f,
  freePort,
  haveTaskset,
  progress,
  start,
  table,
} from '../overhead/harness.js';
import { fixedRate, makeClient, median } from '../overhead/load.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    repeats: { type: 'string', default: '3' },
    rates: { type: 'string', default: '100,300' },
    'candidate-ms': { type: 'string', default: '150' },
  },
});
const seconds = Number(values.seconds);
const repeats = Number(values.repeats);
const rates = values.rates.split(',').map(Number);
const candidateMs = Number(values['candidate-ms']);
const bin = join(root, 'bin', 'switchyard.js');
const masterKey = 'sk-bench-master-0123456789abcdef';

async function simulator(ttftMs) {
  const port = freePort();
  await start('simulator', 1, process.execPath, [
    bin,
    'simulate',
    '--port',
    String(port),
    '--model',
    'bench-model',
    '--ttft-ms',
    String(ttftMs),
    '--tokens-per-second',
    '0',
    '--output-tokens',
    '16',
    '--capacity',
    '4096',
  ]);
  return `http://127.0.0.1:${port}/v1`;
}

progress('starting the simulated primary and candidate');
const primaryUrl = await simulator(0);
const candidateUrl = await simulator(candidateMs);

async function gateway(name, shadowed) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-shadow-'));
  const port = freePort();
  const configPath = join(dir, 'switchyard.yaml');
  const shadow = shadowed
    ? `    shadow: { candidates: [candidate], sample: 1, maxConcurrency: 64, maxQueue: 5000, score: { scorer: rouge-l } }\n`
    : '';
  writeFileSync(
    configPath,
    `server: { port: ${port}, dataDir: ${JSON.stringify(dir)} }
deployments:
  - { id: primary, baseUrl: ${primaryUrl}, model: bench-model, location: internal, prices: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } }
  - { id: candidate, baseUrl: ${candidateUrl}, model: bench-model, location: internal, prices: { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.6 } }
models:
  - { name: bench-model, deployments: [primary] }
routes:
  - id: bench
    match: { model: bench-model }
    target: { deployment: primary }
${shadow}cost:
  baseline: { model: gpt-4o }
  budgets:
    - { id: monthly, scope: global, window: monthly, limitUsd: 1000000, mode: hard }
`,
  );
  const keyOut = execFileSync(
    process.execPath,
    [bin, 'keys', 'create', '--name', 'bench', '--data-dir', dir],
    {
      env: { ...process.env, SWITCHYARD_MASTER_KEY: masterKey },
    },
  ).toString();
  const key = /sk-sy-[A-Za-z0-9]+/.exec(keyOut)?.[0];
  if (!key) throw new Error(`no key in: ${keyOut}`);
  const child = await start(name, 0, process.execPath, [bin, 'serve', '--config', configPath], {
    SWITCHYARD_MASTER_KEY: masterKey,
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    name,
    origin,
    pid: child.pid,
    client: makeClient(origin, 256, { authorization: `Bearer ${key}` }),
  };
}

progress('starting the gateways');
const targets = [await gateway('without shadow', false), await gateway('shadow: every request copied', true)];
for (const t of targets) {
  progress(`${t.name}: warming up`);
  await fixedRate(t.client, 200, 1);
  t.atRates = Object.fromEntries(rates.map((r) => [r, { p50: [], p99: [] }]));
  t.ttfb = [];
  t.cpu = [];
}

for (let round = 0; round < repeats; round++) {
  for (const rate of rates) {
    for (const t of targets) {
      const before = cpuSeconds(t.pid);
      const res = await fixedRate(t.client, rate, seconds);
      // Copies still in flight are the shadowed gateway's work too: wait them out before reading.
      await new Promise((r) => setTimeout(r, candidateMs * 4));
      t.cpu.push(((cpuSeconds(t.pid) - before) / res.n) * 1e6);
      if (res.errors) progress(`${t.name}: ${res.errors} errors at ${rate} req/s`);
      t.atRates[rate].p50.push(res.p50);
      t.atRates[rate].p99.push(res.p99);
      progress(
        `round ${round + 1}/${repeats}, ${t.name}, ${rate} req/s: p50 ${f(res.p50, 3)} ms, p99 ${f(res.p99, 3)} ms`,
      );
    }
  }
  for (const t of targets) for (let i = 0; i < 30; i++) t.ttfb.push(await t.client.firstStreamByte());
}

async function counter(origin, name) {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}
const shadowed = targets[1];
const copies = await counter(shadowed.origin, 'switchyard_shadow_copies_total');
const dropped = await counter(shadowed.origin, 'switchyard_shadow_dropped_total');

console.log(
  `\nShadow traffic and the primary's latency: ${seconds}s per round, medians of ${repeats} rounds; candidate answers in ${candidateMs} ms; gateways pinned to CPU 0${haveTaskset ? '' : ' (taskset unavailable: not pinned)'}\n`,
);
const [plain] = targets;
const cpuPlain = median(plain.cpu);
const cpuShadowed = median(shadowed.cpu);
const rows = [];
for (const rate of rates) {
  const m = (t, q) => median(t.atRates[rate][q]);
  rows.push([
    `${rate} req/s`,
    f(m(plain, 'p50'), 3),
    f(m(shadowed, 'p50'), 3),
    f(m(shadowed, 'p50') - m(plain, 'p50'), 3),
    f(m(plain, 'p99'), 3),
    f(m(shadowed, 'p99'), 3),
    f(m(shadowed, 'p99') - m(plain, 'p99'), 3),
  ]);
}
rows.push([
  'first streamed byte',
  f(median(plain.ttfb), 3),
  f(median(shadowed.ttfb), 3),
  f(median(shadowed.ttfb) - median(plain.ttfb), 3),
  '',
  '',
  '',
]);
table(
  [
    'load',
    'p50 ms without',
    'p50 ms shadowed',
    'p50 added ms',
    'p99 ms without',
    'p99 ms shadowed',
    'p99 added ms',
  ],
  rows,
);
console.log(
  `\ngateway CPU per client request (the shadowed one's includes its copy, scored): ${f(cpuPlain, 0)} us without, ${f(cpuShadowed, 0)} us shadowed (${f(cpuShadowed / cpuPlain)}x)`,
);
console.log(`copies made ${copies}, dropped (queue full) ${dropped}`);
process.exit(0);
