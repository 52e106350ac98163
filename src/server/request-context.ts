import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint, RouteExplanation } from '../spec/request-record.js';

export interface Caller {
  keyId: string | null;
  keyName: string | null;
  team: string | null;
  /** Default workload of the key; a request header overrides it. */
  workload: string | null;
  isMaster: boolean;
}

/** Everything known about one request while it is being served; becomes its RequestRecord at the end. */
export interface RequestContext {
  id: string;
  endpoint: Endpoint;
  startedAtMs: number;
  /** performance.now() at arrival, for durations. */
  startPerf: number;
  headers: IncomingHttpHeaders;
  caller: Caller;
  workload: string | null;
  /** Aborted when the client disconnects before the response is complete. */
  clientSignal: AbortSignal;
  /** Time spent waiting on upstreams; overhead = elapsed - upstreamWaitMs. */
  upstreamWaitMs: number;
  route: RouteExplanation | null;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
