import type { AdminApi } from '../server/gateway-services.js';
import { GatewayError, invalidRequest } from '../spec/gateway-error.js';
import type { RolloutController } from './rollout-controller.js';

const LIST_PATH = '/admin/rollouts';
const ONE = /^\/admin\/rollouts\/([^/]+)$/;
const ACTION = /^\/admin\/rollouts\/([^/]+)\/(advance|pause|resume|rollback)$/;
const MAX_REASON_CHARS = 500;
const DEFAULT_HISTORY = 20;
const MAX_HISTORY = 500;

/**
 * The rollout admin endpoints, answered with JSON (the gateway checks the master key first):
 *
 *   GET  /admin/rollouts                      every rollout: stage, share, status, last check
 *   GET  /admin/rollouts/:route[?limit=N]     one rollout and its latest transitions
 *   POST /admin/rollouts/:route/advance       next stage now (from the last: complete)
 *   POST /admin/rollouts/:route/pause         stop automatic promotion (rollback stays armed)
 *   POST /admin/rollouts/:route/resume        continue a paused or rolled-back rollout
 *   POST /admin/rollouts/:route/rollback      ?to=zero|previous (default zero)
 *
 * Actions take an optional `?reason=` recorded with the transition.
 */
export function rolloutAdmin(controller: RolloutController): AdminApi {
  return {
    async handle(method, url) {
      const path = url.pathname.replace(/\/+$/, '');
      if (path === LIST_PATH) {
        requireMethod(method, 'GET', path);
        return { status: 200, body: { rollouts: await controller.list() } };
      }
      const action = ACTION.exec(path);
      if (action) {
        requireMethod(method, 'POST', path);
        const route = decodeURIComponent(action[1]);
        const reason = reasonFrom(url.searchParams);
        const result =
          action[2] === 'advance'
            ? await controller.advance(route, reason)
            : action[2] === 'pause'
              ? await controller.pause(route, reason)
              : action[2] === 'resume'
                ? await controller.resume(route, reason)
                : await controller.rollback(route, { to: rollbackTarget(url.searchParams), reason });
        return { status: 200, body: result };
      }
      const one = ONE.exec(path);
      if (one) {
        requireMethod(method, 'GET', path);
        const route = decodeURIComponent(one[1]);
        const rollout = await controller.get(route);
        const history = await controller.history(route, historyLimit(url.searchParams));
        return { status: 200, body: { rollout, history } };
      }
      return undefined;
    },
  };
}

function requireMethod(method: string, allowed: 'GET' | 'POST', path: string): void {
  if (method === allowed) return;
  throw new GatewayError({
    status: 405,
    type: 'invalid_request_error',
    code: 'method_not_allowed',
    message: `${path} accepts ${allowed}, not ${method}.`,
    headers: { allow: allowed },
  });
}

function reasonFrom(params: URLSearchParams): string | undefined {
  const reason = params.get('reason')?.trim();
  if (!reason) return undefined;
  if (reason.length > MAX_REASON_CHARS)
    throw invalidRequest(
      `'reason' is longer than ${MAX_REASON_CHARS} characters.`,
      'reason',
      'invalid_value',
    );
  return reason;
}

function rollbackTarget(params: URLSearchParams): 'zero' | 'previous' {
  const to = params.get('to') ?? 'zero';
  if (to === 'zero' || to === 'previous') return to;
  throw invalidRequest(`Invalid value for 'to': '${to}'. Use 'zero' or 'previous'.`, 'to', 'invalid_value');
}

function historyLimit(params: URLSearchParams): number {
  const raw = params.get('limit');
  if (raw === null) return DEFAULT_HISTORY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_HISTORY)
    throw invalidRequest(
      `Invalid value for 'limit': '${raw}'. Use a whole number from 1 to ${MAX_HISTORY}.`,
      'limit',
      'invalid_value',
    );
  return n;
}
