import { parseArgs } from 'node:util';
import { formatRolloutDetail, formatRolloutTable, formatTransition } from '../../rollout/format-rollout.js';
import type { ActionResult, RolloutSnapshot } from '../../rollout/rollout-controller.js';
import type { StoredTransition } from '../../rollout/rollout-state.js';
import type { CliIO, CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';

const HELP = `switchyard rollout <status|advance|pause|resume|rollback> [ROUTE] [options]

Gated cutovers of a running gateway, through its /admin/rollouts API. Authenticates with
SWITCHYARD_MASTER_KEY.

  rollout status [ROUTE]      every rollout, or one with its gates, evidence and history
  rollout advance ROUTE       next stage now, whatever the gates say (from the last: complete)
  rollout pause ROUTE         stop automatic promotion; automatic rollback stays armed
  rollout resume ROUTE        continue a paused or rolled-back rollout
  rollout rollback ROUTE      move traffic back to the baseline and hold

Options:
  --gateway URL     Gateway address (default http://127.0.0.1:4000)
  --to zero|previous  rollback: to 0% (default) or to the stage before
  --reason TEXT     Recorded with the transition
  --limit N         status ROUTE: transitions shown (default 10)
  --json            Print the raw JSON answer
  -h, --help        Show this help
`;

const ACTIONS = new Set(['advance', 'pause', 'resume', 'rollback']);

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      gateway: { type: 'string', default: 'http://127.0.0.1:4000' },
      to: { type: 'string' },
      reason: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [sub, route, ...extra] = positionals;
  if (!sub) throw new UsageError('name a subcommand: status, advance, pause, resume or rollback');
  if (sub !== 'status' && !ACTIONS.has(sub))
    throw new UsageError(`unknown subcommand '${sub}'; use status, advance, pause, resume or rollback`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (sub !== 'status' && !route) throw new UsageError(`rollout ${sub} needs the route id`);
  if (values.to !== undefined && sub !== 'rollback') throw new UsageError('--to applies to rollback only');
  if (values.to !== undefined && values.to !== 'zero' && values.to !== 'previous')
    throw new UsageError(`--to must be 'zero' or 'previous', got '${values.to}'`);
  if (values.limit !== undefined && (sub !== 'status' || !route))
    throw new UsageError('--limit applies to status ROUTE only');
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new UsageError(`--limit must be a whole number from 1 to 500, got '${values.limit}'`);
  let base: URL;
  try {
    base = new URL(values.gateway);
  } catch {
    throw new UsageError(`--gateway: '${values.gateway}' is not a URL`);
  }

  const path = route ? `/admin/rollouts/${encodeURIComponent(route)}` : '/admin/rollouts';
  if (sub === 'status') {
    const endpoint = new URL(route ? `${path}?limit=${limit}` : path, base);
    const body = await call(io, 'GET', endpoint);
    if (body === undefined) return 1;
    if (values.json) io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    else if (route) {
      const { rollout, history } = body as { rollout: RolloutSnapshot; history: StoredTransition[] };
      io.stdout.write(formatRolloutDetail(rollout, history));
    } else io.stdout.write(formatRolloutTable((body as { rollouts: RolloutSnapshot[] }).rollouts));
    return 0;
  }

  const endpoint = new URL(`${path}/${sub}`, base);
  if (values.reason) endpoint.searchParams.set('reason', values.reason);
  if (values.to) endpoint.searchParams.set('to', values.to);
  const body = await call(io, 'POST', endpoint);
  if (body === undefined) return 1;
  if (values.json) {
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const { rollout, transition } = body as ActionResult;
  io.stdout.write(
    `${rollout.route}: ${transition.kind} ${transition.fromPercent}% → ${transition.toPercent}%\n`,
  );
  io.stdout.write(`${formatTransition(transition)}\n`);
  io.stdout.write(formatRolloutTable([rollout]));
  return 0;
};

/** One admin call; prints why it failed and returns undefined, or returns the parsed JSON. */
async function call(io: CliIO, method: 'GET' | 'POST', endpoint: URL): Promise<unknown> {
  const key = io.env.SWITCHYARD_MASTER_KEY;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  let res: Response;
  try {
    res = await fetch(endpoint, { method, headers, signal: io.stopSignal });
  } catch (err) {
    const cause = (err as Error & { cause?: { code?: string } }).cause;
    io.stderr.write(
      `switchyard rollout: cannot reach ${endpoint.origin}: ${cause?.code ?? (err as Error).message}\n`,
    );
    return undefined;
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
      `switchyard rollout: ${method} ${endpoint.pathname} answered ${res.status}${hint}: ${errorMessage(text)}\n`,
    );
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    io.stderr.write(`switchyard rollout: unexpected answer from ${endpoint}: ${text.slice(0, 200)}\n`);
    return undefined;
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON: show the start of whatever came back.
  }
  return text.slice(0, 200);
}
