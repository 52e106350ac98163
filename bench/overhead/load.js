// Load generation for the overhead benchmark: closed-loop saturation and open-loop fixed rates.
import { Pool } from 'undici';

const BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
  max_tokens: 16,
});

export function makeClient(origin, connections, headers = {}) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const allHeaders = { 'content-type': 'application/json', authorization: 'Bearer bench', ...headers };
  return {
    async chat(path = '/v1/chat/completions', body = BODY) {
      const res = await pool.request({ method: 'POST', path, headers: allHeaders, body });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    },
    /** Milliseconds until the first content byte of a streamed answer. */
    async firstStreamByte(path = '/v1/chat/completions') {
      const started = performance.now();
      const res = await pool.request({
        method: 'POST',
        path,
        headers: allHeaders,
        body: JSON.stringify({ ...JSON.parse(BODY), stream: true }),
      });
      let first = null;
      for await (const chunk of res.body) {
        if (first === null && chunk.toString().includes('"content"')) first = performance.now() - started;
      }
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      return first ?? performance.now() - started;
    },
    close: () => pool.close(),
  };
}

/** Requests/s with `concurrency` requests always outstanding, for `seconds`. */
export async function saturate(client, concurrency, seconds, path) {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        await client.chat(path);
        done++;
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { rps: done / ((performance.now() - started) / 1000), done, errors };
}

/** Latencies at a fixed arrival rate (open loop: slow answers do not slow the arrivals). */
export async function fixedRate(client, rps, seconds, path) {
  const total = Math.round(rps * seconds);
  const interval = 1000 / rps;
  const latencies = [];
  let errors = 0;
  const started = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      client.chat(path).then(
        () => latencies.push(performance.now() - t0),
        () => errors++,
      ),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  return { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), errors, n: latencies.length };
}

export function pct(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
