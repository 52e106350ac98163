import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { blankRecord, type Endpoint, type RequestRecord } from '../../spec/request-record.js';
import type { Admission, RecordDetail } from '../gateway-services.js';
import type { Caller, RequestPolicy } from './request-policy.js';

const round2 = (ms: number) => Math.round(ms * 100) / 100;

/**
 * One API request from arrival to its record: created by the lifecycle, filled in by the endpoint
 * that serves it, finished by the lifecycle. The layers below (planning, admission, execution) take
 * values and return values; none of them writes here.
 */
export class Exchange {
  readonly id = `req_${randomUUID().replaceAll('-', '')}`;
  readonly startedAtMs = Date.now();
  readonly record: RequestRecord;
  /** Aborted, with the GatewayError that explains why, when the client leaves or shutdown cuts the request. */
  readonly stop = new AbortController();
  caller: Caller | null = null;
  policy: RequestPolicy | null = null;
  admission: Admission | null = null;
  /** What pricing the record needs besides the record: the request, the answer's text, the deployment. */
  readonly detail: RecordDetail = {};
  /** Sent on every response of this request (cross-origin headers). */
  responseHeaders: Record<string, string> = {};
  /** Time spent waiting on upstreams and retry back-off: not the gateway's overhead. */
  waitedMs = 0;

  constructor(
    endpoint: Endpoint,
    readonly headers: IncomingHttpHeaders,
    readonly startPerf: number,
    /** Set while the gateway drains for shutdown: every response asks the client to close. */
    private readonly closing: () => boolean,
  ) {
    this.record = blankRecord(this.id, endpoint, this.startedAtMs);
  }

  get signal(): AbortSignal {
    return this.stop.signal;
  }

  /**
   * Writes the response head. The gateway's overhead has one definition, stamped here into both the
   * `x-switchyard-overhead-ms` header and the record: time from arrival to the response starting,
   * less the time spent waiting on upstreams and retry back-off.
   */
  writeHead(res: ServerResponse, status: number, headers: Record<string, string | number>): void {
    const overheadMs = Math.max(0, performance.now() - this.startPerf - this.waitedMs);
    const shown = overheadMs.toFixed(3);
    this.record.overheadMs = Number(shown);
    headers['x-request-id'] = this.id;
    headers['x-switchyard-overhead-ms'] = shown;
    for (const name in this.responseHeaders) headers[name] = this.responseHeaders[name];
    if (this.closing()) headers.connection = 'close';
    res.writeHead(status, headers);
  }

  /** Marks the moment the client saw its first byte of a streamed answer. */
  markFirstByte(): void {
    this.record.ttftMs = round2(performance.now() - this.startPerf);
  }

  /** Closes the record: end time and latency. */
  finish(): RequestRecord {
    this.record.endedAt = Date.now();
    this.record.latencyMs = round2(performance.now() - this.startPerf);
    return this.record;
  }
}
