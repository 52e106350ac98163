import { parseArgs } from 'node:util';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import type { BackendSnapshot } from '../../health/backend-state.js';
import type { BackendsSnapshot } from '../../health/backend-states.js';

const HELP = `switchyard backends [--url URL] [--json]

Breaker state, in-flight requests, latency and engine load of each deployment, from a running
gateway's GET /admin/backends. Authenticates with SWITCHYARD_MASTER_KEY.

Options:
  --url URL   Gateway address (default http://127.0.0.1:4000)
  --json      Print the raw JSON
  -h, --help  Show this help
`;

export const run: CommandRun = async (argv, io) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:4000' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let endpoint: URL;
  try {
    endpoint = new URL('/admin/backends', values.url);
  } catch {
    throw new UsageError(`--url: '${values.url}' is not a URL`);
  }
  const key = io.env.SWITCHYARD_MASTER_KEY;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;

  let res: Response;
  try {
    res = await fetch(endpoint, { headers, signal: io.stopSignal });
  } catch (err) {
    const cause = (err as Error & { cause?: { code?: string } }).cause;
    io.stderr.write(
      `switchyard backends: cannot reach ${endpoint.origin}: ${cause?.code ?? (err as Error).message}\n`,
    );
    return 1;
  }
  const text = await res.text();
  if (!res.ok) {
    const hint =
      res.status === 401 || res.status === 403
        ? key
          ? ' (SWITCHYARD_MASTER_KEY was rejected)'
          : ' (set SWITCHYARD_MASTER_KEY to the gateway master key)'
        : '';
    io.stderr.write(
      `switchyard backends: ${endpoint} answered ${res.status}${hint}: ${errorMessage(text)}\n`,
    );
    return 1;
  }
  let body: BackendsSnapshot;
  try {
    body = JSON.parse(text) as BackendsSnapshot;
    if (!Array.isArray(body.deployments)) throw new Error('no deployments list');
  } catch (err) {
    io.stderr.write(`switchyard backends: unexpected answer from ${endpoint}: ${(err as Error).message}\n`);
    return 1;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(formatBackendsTable(body.deployments));
  return 0;
};

const COLUMNS: [string, (b: BackendSnapshot) => string][] = [
  ['DEPLOYMENT', (b) => b.id],
  ['LOC', (b) => (b.location === 'internal' ? 'int' : 'ext')],
  ['BREAKER', (b) => b.breaker + (b.breakerOpens ? ` (${b.breakerOpens}x)` : '')],
  ['IN-FLIGHT', (b) => (b.maxConcurrency ? `${b.inFlight}/${b.maxConcurrency}` : String(b.inFlight))],
  ['LATENCY', (b) => ms(b.ewmaLatencyMs)],
  ['TTFT', (b) => ms(b.ewmaTtftMs)],
  [
    'HEALTH',
    (b) => (b.health ? (b.health.ok ? 'ok' : `down${b.health.error ? ` (${b.health.error})` : ''}`) : '-'),
  ],
  ['QUEUE', (b) => (b.queueDepth === null ? '-' : String(b.queueDepth))],
  ['KV', (b) => (b.kvCacheUsage === null ? '-' : `${Math.round(b.kvCacheUsage * 100)}%`)],
  ['REQS', (b) => String(b.requests)],
  ['FAILS', (b) => String(b.failures)],
  ['SPILLED', (b) => String(b.spilled)],
];

/** A plain-text table, one deployment per line; columns sized to their content. */
export function formatBackendsTable(rows: readonly BackendSnapshot[]): string {
  if (rows.length === 0) return 'No deployments configured.\n';
  const cells = rows.map((r) => COLUMNS.map(([, get]) => get(r)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(COLUMNS.map(([t]) => t)), ...cells.map(line)].join('\n')}\n`;
}

const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)}ms`);

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON: show the start of whatever came back.
  }
  return text.slice(0, 200);
}
