#!/usr/bin/env node
// Gateway overhead benchmark. Prints a table; never run as a test.
//
//   npm run build && node bench/overhead/run.js [--seconds 5] [--repeats 3] [--no-portkey]
//
// The gateway under test is pinned to CPU 0; this load generator and the zero-delay simulated
// upstream run on CPU 1 (taskset), so the gateway's figures are those of one core. Every target is
// measured in the same run, side by side: direct to the upstream, a bare node:http + undici
// pass-through, Switchyard in two shapes, and Portkey's open-source gateway when it can be installed
// (see portkey.js):
// - zero-config: `serve --upstream`, records on (SQLite);
// - production: a virtual key, a priced deployment, the incumbent baseline, a hard budget and a
//   per-key rate limit (none of them reached), records on.
// Progress goes to stderr as it runs; the table and the goals go to stdout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fixedRate, makeClient, median, saturate } from './load.js';
import { cpuSeconds, fixed as f, freePort, haveTaskset, progress, start, table } from './harness.js';
import { preparePortkey } from './portkey.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'no-portkey': { type: 'boolean', default: false },
    rates: { type: 'string', default: '200,500,1000' },
    repeats: { type: 'string', default: '3' },
  },
});
const seconds = Number(values.seconds);
const repeats = Number(values.repeats);
const rates = values.rates.split(',').map(Number);
function peakRssMb(pid) {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const bin = join(root, 'bin', 'switchyard.js');
const simPort = freePort();
progress('starting the simulated upstream');
await start('simulator', 1, process.execPath, [
  bin,
  'simulate',
  '--port',
  String(simPort),
  '--ttft-ms',
  '0',
  '--tokens-per-second',
  '0',
  '--output-tokens',
  '16',
]);
const upstream = `http://127.0.0.1:${simPort}`;
const targets = [{ name: 'direct (simulated upstream)', origin: upstream, pid: null }];

progress('starting the bare pass-through');
const barePort = freePort();
const bare = await start('bare', 0, process.execPath, [
  join(root, 'bench/overhead/bare-proxy.js'),
  upstream,
  String(barePort),
]);
targets.push({ name: 'bare node pass-through', origin: `http://127.0.0.1:${barePort}`, pid: bare.pid });

progress('starting Switchyard, zero-config');
const zeroPort = freePort();
const zeroDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const zero = await start('switchyard zero-config', 0, process.execPath, [
  bin,
  'serve',
  '--upstream',
  `${upstream}/v1`,
  '--port',
  String(zeroPort),
  '--data-dir',
  zeroDir,
]);
targets.push({
  name: 'switchyard zero-config',
  origin: `http://127.0.0.1:${zeroPort}`,
  pid: zero.pid,
  shape: 'zero',
});

progress('starting Switchyard, production shape');
const prodDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const prodPort = freePort();
const masterKey = 'sk-bench-master-0123456789abcdef';
const configPath = join(prodDir, 'switchyard.yaml');
writeFileSync(
  configPath,
  `server: { port: ${prodPort}, dataDir: ${JSON.stringify(prodDir)} }
deployments:
  - id: llama
    baseUrl: ${upstream}/v1
    model: bench-model
    location: internal
    prices: { inputPerMillionUsd: 0.2, outputPerMillionUsd: 0.6 }
models:
  - { name: bench-model, deployments: [llama] }
cost:
  baseline: { model: gpt-4o }
  budgets:
    - { id: monthly, scope: global, window: monthly, limitUsd: 1000000, mode: hard }
  rateLimits:
    - { scope: key, requestsPerMinute: 100000000, tokensPerMinute: 10000000000 }
`,
);
const keyOut = execFileSync(
  process.execPath,
  [bin, 'keys', 'create', '--name', 'bench', '--data-dir', prodDir],
  {
    env: { ...process.env, SWITCHYARD_MASTER_KEY: masterKey },
  },
).toString();
const virtualKey = /sk-sy-[A-Za-z0-9]+/.exec(keyOut)?.[0];
if (!virtualKey) throw new Error(`no key in: ${keyOut}`);
const prod = await start(
  'switchyard production',
  0,
  process.execPath,
  [bin, 'serve', '--config', configPath],
  {
    SWITCHYARD_MASTER_KEY: masterKey,
  },
);
targets.push({
  name: 'switchyard production shape',
  origin: `http://127.0.0.1:${prodPort}`,
  pid: prod.pid,
  headers: { authorization: `Bearer ${virtualKey}` },
  shape: 'production',
});

if (!values['no-portkey']) {
  try {
    progress('installing and starting Portkey');
    const portkey = await preparePortkey();
    const pkPort = freePort();
    const pk = await start(
      'portkey',
      0,
      process.execPath,
      [portkey.entry, `--port=${pkPort}`, '--headless'],
      {},
      /running|listening|ready|http/i,
    );
    targets.push({
      name: `portkey ${portkey.version}`,
      origin: `http://127.0.0.1:${pkPort}`,
      pid: pk.pid,
      headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream}/v1` },
    });
  } catch (err) {
    progress(`portkey skipped: ${err.message}`);
  }
}

const rows = [];
for (const t of targets) {
  const client = makeClient(t.origin, 128, t.headers);
  progress(`${t.name}: warming up`);
  await saturate(client, 32, 1);
  const sat = [];
  const cpu = [];
  for (let r = 0; r < repeats; r++) {
    const before = t.pid ? cpuSeconds(t.pid) : 0;
    const res = await saturate(client, 64, seconds);
    if (res.errors) progress(`${t.name}: ${res.errors} errors while saturated`);
    if (t.pid) cpu.push(((cpuSeconds(t.pid) - before) / res.done) * 1e6);
    sat.push(res.rps);
    progress(`${t.name}: saturated round ${r + 1}/${repeats}: ${res.rps.toFixed(0)} req/s`);
  }
  const atRates = {};
  for (const rate of rates) {
    const runs = [];
    for (let r = 0; r < repeats; r++) runs.push(await fixedRate(client, rate, Math.min(seconds, 3)));
    atRates[rate] = { p50: median(runs.map((x) => x.p50)), p99: median(runs.map((x) => x.p99)) };
    progress(
      `${t.name}: ${rate} req/s: p50 ${atRates[rate].p50.toFixed(2)} ms, p99 ${atRates[rate].p99.toFixed(2)} ms`,
    );
  }
  const ttfb = [];
  for (let i = 0; i < 50; i++) ttfb.push(await client.firstStreamByte());
  rows.push({
    name: t.name,
    shape: t.shape,
    rps: median(sat),
    cpuPerReq: t.pid ? median(cpu) : NaN,
    rss: t.pid ? peakRssMb(t.pid) : NaN,
    atRates,
    ttfb: median(ttfb),
  });
  await client.close();
}

const direct = rows[0];
const header = [
  'target',
  'req/s sat. (median)',
  'CPU us/req',
  'peak RSS MB',
  ...rates.flatMap((r) => [`p50 ms @${r}`, `p99 ms @${r}`]),
  'first stream byte ms',
];
const lines = rows.map((r) => [
  r.name,
  f(r.rps, 0),
  f(r.cpuPerReq, 0),
  f(r.rss, 0),
  ...rates.flatMap((rate) => [f(r.atRates[rate].p50, 3), f(r.atRates[rate].p99, 3)]),
  f(r.ttfb, 3),
]);
console.log(
  `\nGateway overhead, ${seconds}s per saturation run, medians of ${repeats} runs; gateway pinned to CPU 0${haveTaskset ? '' : ' (taskset unavailable: not pinned)'}\n`,
);
table(header, lines);

// Goals, each Switchyard shape against the bare pass-through measured in the same run.
const bareRow = rows.find((r) => r.name.startsWith('bare'));
const pkRow = rows.find((r) => r.name.startsWith('portkey'));
const goalRate = rates.includes(500) ? 500 : rates[0];
const goals = [];
for (const sy of rows.filter((r) => r.shape)) {
  const check = (what, value, goal, ok) => goals.push([sy.shape, what, value, goal, ok ? 'met' : 'missed']);
  const cpuRatio = sy.cpuPerReq / bareRow.cpuPerReq;
  check('CPU per request / bare', `${f(cpuRatio)}x`, '<= 1.25x', cpuRatio <= 1.25);
  const rpsRatio = sy.rps / bareRow.rps;
  check('saturated req/s / bare', `${f(rpsRatio * 100, 0)}%`, '>= 80%', rpsRatio >= 0.8);
  if (pkRow) {
    const vsPk = sy.rps / pkRow.rps;
    check('saturated req/s / Portkey', `${f(vsPk)}x`, '>= 5x', vsPk >= 5);
  }
  const p50 = sy.atRates[goalRate].p50 - bareRow.atRates[goalRate].p50;
  check(`p50 over bare @${goalRate} req/s`, `${f(p50, 3)} ms`, '<= 0.3 ms', p50 <= 0.3);
  const p99 = sy.atRates[goalRate].p99 - bareRow.atRates[goalRate].p99;
  check(`p99 over bare @${goalRate} req/s`, `${f(p99, 3)} ms`, '<= 1 ms', p99 <= 1);
  const ttfb = sy.ttfb - bareRow.ttfb;
  check('first streamed byte over bare', `${f(ttfb, 3)} ms`, '<= 0.5 ms', ttfb <= 0.5);
  check('peak RSS', `${f(sy.rss, 0)} MB`, '< 150 MB', sy.rss < 150);
}
console.log('\nGoals (Switchyard against the bare pass-through of the same run)\n');
table(['shape', 'figure', 'measured', 'goal', ''], goals);
console.log(
  `\nadded over direct @${goalRate} req/s: bare p50 ${f(bareRow.atRates[goalRate].p50 - direct.atRates[goalRate].p50, 3)} ms, p99 ${f(bareRow.atRates[goalRate].p99 - direct.atRates[goalRate].p99, 3)} ms`,
);
process.exit(0);
