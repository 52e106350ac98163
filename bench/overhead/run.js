#!/usr/bin/env node
// Gateway overhead benchmark. Prints a table; never run as a test.
//
//   npm run build && node bench/overhead/run.js [--seconds 5] [--no-portkey]
//
// The gateway under test is pinned to CPU 0; this load generator and the zero-delay simulated
// upstream run on CPU 1 (taskset), so the gateway's figures are those of one core. Every target is
// measured in the same run, side by side: direct to the upstream, a bare node:http + undici
// pass-through, Switchyard with records on (SQLite), and Portkey's open-source gateway when it can
// be installed (see portkey.js).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fixedRate, makeClient, median, saturate } from './load.js';
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
const haveTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();
if (haveTaskset) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function start(name, cpu, cmd, args, env = {}, ready = /listening|ready|simulat/i) {
  const full = haveTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
  const child = spawn(full[0], full[1], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      if (ready.test(out)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}): ${out}`)));
  });
}

const freePort = (() => {
  let next = 47_100 + Math.floor(Math.random() * 500);
  return () => next++;
})();

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
function rssMb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const bin = join(root, 'bin', 'switchyard.js');
const simPort = freePort();
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

const barePort = freePort();
const bare = await start('bare', 0, process.execPath, [
  join(root, 'bench/overhead/bare-proxy.js'),
  upstream,
  String(barePort),
]);
targets.push({ name: 'bare node pass-through', origin: `http://127.0.0.1:${barePort}`, pid: bare.pid });

const syPort = freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const sy = await start('switchyard', 0, process.execPath, [
  bin,
  'serve',
  '--upstream',
  `${upstream}/v1`,
  '--port',
  String(syPort),
  '--data-dir',
  dataDir,
]);
targets.push({ name: 'switchyard (records on)', origin: `http://127.0.0.1:${syPort}`, pid: sy.pid });

if (!values['no-portkey']) {
  try {
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
    process.stderr.write(`portkey skipped: ${err.message}\n`);
  }
}

const rows = [];
for (const t of targets) {
  const client = makeClient(t.origin, 128, t.headers);
  await saturate(client, 32, 1); // warm-up: JIT, connection pools
  const sat = [];
  let cpuPerReq = NaN;
  let rss = NaN;
  for (let r = 0; r < repeats; r++) {
    const before = t.pid ? cpuSeconds(t.pid) : 0;
    const res = await saturate(client, 64, seconds);
    if (t.pid) {
      cpuPerReq = ((cpuSeconds(t.pid) - before) / res.done) * 1e6;
      rss = Math.max(Number.isNaN(rss) ? 0 : rss, rssMb(t.pid));
    }
    sat.push(res.rps);
  }
  const atRates = {};
  for (const rate of rates) {
    const runs = [];
    for (let r = 0; r < repeats; r++) runs.push(await fixedRate(client, rate, Math.min(seconds, 3)));
    atRates[rate] = { p50: median(runs.map((x) => x.p50)), p99: median(runs.map((x) => x.p99)) };
  }
  const ttfb = [];
  for (let i = 0; i < 50; i++) ttfb.push(await client.firstStreamByte());
  rows.push({ name: t.name, rps: median(sat), cpuPerReq, rss, atRates, ttfb: median(ttfb) });
  await client.close();
}

const direct = rows[0];
const f = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const header = [
  'target',
  'req/s sat. (median)',
  'CPU us/req',
  'RSS MB',
  ...rates.flatMap((r) => [`p50 ms @${r}`, `p99 ms @${r}`]),
  'first stream byte ms',
  'added p50 @1000',
  'added p99 @1000',
  'added first byte',
];
const lines = rows.map((r) => [
  r.name,
  f(r.rps, 0),
  f(r.cpuPerReq, 0),
  f(r.rss, 0),
  ...rates.flatMap((rate) => [f(r.atRates[rate].p50, 3), f(r.atRates[rate].p99, 3)]),
  f(r.ttfb, 3),
  f(r.atRates[1000] ? r.atRates[1000].p50 - direct.atRates[1000].p50 : NaN, 3),
  f(r.atRates[1000] ? r.atRates[1000].p99 - direct.atRates[1000].p99 : NaN, 3),
  f(r.ttfb - direct.ttfb, 3),
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmt = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(
  `\nGateway overhead, ${seconds}s per saturation run, medians of ${repeats} runs; gateway pinned to CPU 0${haveTaskset ? '' : ' (taskset unavailable: not pinned)'}\n`,
);
console.log(fmt(header));
console.log(fmt(widths.map((w) => '-'.repeat(w))));
lines.forEach((l) => console.log(fmt(l)));
const syRow = rows.find((r) => r.name.startsWith('switchyard'));
const pkRow = rows.find((r) => r.name.startsWith('portkey'));
if (syRow && pkRow)
  console.log(`\nswitchyard / portkey saturated throughput: ${f(syRow.rps / pkRow.rps, 2)}x`);
const bareRow = rows.find((r) => r.name.startsWith('bare'));
if (syRow && bareRow) console.log(`switchyard / bare pass-through: ${f(syRow.rps / bareRow.rps, 2)}x`);
process.exit(0);
