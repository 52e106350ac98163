import { Agent, type Dispatcher } from 'undici';
import type { UpstreamCallContext } from '../spec/provider-adapter.js';
import { transportFailure } from './upstream-failure.js';

/** Where one kind of call goes: resolved once per deployment, reused by every request. */
export interface UpstreamTarget {
  origin: string;
  /** Path and query. */
  path: string;
  /** Flat name/value pairs (undici's cheapest header form), without the per-request `x-request-id`. */
  headers: string[];
}

export type UpstreamBody = Dispatcher.ResponseData['body'];

export interface UpstreamResponse {
  status: number;
  /** Lowercased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: UpstreamBody;
}

export interface UpstreamClientOptions {
  /** Idle keep-alive sockets are closed after this long unless the upstream's `Keep-Alive` hint is shorter. */
  keepAliveTimeoutMs?: number;
}

/**
 * Sends requests upstream over keep-alive connection pools, one pool per origin (undici's Agent keeps
 * them). undici fixes the connect timeout per Agent, so there is one Agent per distinct `connectMs`;
 * configs have a handful, so this is a lookup, never a construction, on the request path.
 */
export class UpstreamClient {
  readonly #agents = new Map<number, Agent>();
  readonly #keepAliveTimeoutMs: number;

  constructor(options: UpstreamClientOptions = {}) {
    this.#keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 10_000;
  }

  /**
   * POSTs a JSON payload. Resolves when response headers arrive; the body is left unread.
   * `timeouts.connectMs` bounds the TCP/TLS connect only: how long an answer may take is the
   * caller's first-token and total budgets, enforced through `ctx.signal`, which stays attached to
   * the body so aborting it closes the socket even mid-stream. undici's own header and body timers
   * are set to the total budget, a backstop that never fires before the caller's.
   */
  async post(target: UpstreamTarget, payload: string, ctx: UpstreamCallContext): Promise<UpstreamResponse> {
    return this.#send('POST', target, payload, ctx);
  }

  /** GETs a resource (a model list), under the same timeouts as a call. */
  async get(target: UpstreamTarget, ctx: UpstreamCallContext): Promise<UpstreamResponse> {
    return this.#send('GET', target, undefined, ctx);
  }

  async #send(
    method: 'GET' | 'POST',
    target: UpstreamTarget,
    payload: string | undefined,
    ctx: UpstreamCallContext,
  ): Promise<UpstreamResponse> {
    const timeouts = ctx.deployment.timeouts;
    try {
      const res = await this.#agentFor(timeouts.connectMs).request({
        origin: target.origin,
        path: target.path,
        method,
        headers: [...target.headers, 'x-request-id', ctx.requestId],
        body: payload,
        signal: ctx.signal,
        headersTimeout: timeouts.totalMs,
        bodyTimeout: timeouts.totalMs,
      });
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: res.body };
    } catch (err) {
      throw transportFailure(ctx.deployment.id, err, ctx.signal);
    }
  }

  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((a) => a.close()));
  }

  #agentFor(connectMs: number): Agent {
    let agent = this.#agents.get(connectMs);
    if (agent === undefined) {
      agent = new Agent({
        connect: { timeout: connectMs },
        keepAliveTimeout: this.#keepAliveTimeoutMs,
      });
      this.#agents.set(connectMs, agent);
    }
    return agent;
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
