import type { RequestRecord } from '../spec/request-record.js';
import { recordToOtlpSpan, type OtlpSpan } from './record-to-otlp-span.js';

export interface OtlpExporter {
  /** Queues the request's span; never blocks, never throws. */
  export(record: RequestRecord): void;
  /** Sends every span queued so far. */
  flush(): Promise<void>;
  /** Flushes, then stops the timer; later records are ignored. */
  close(): Promise<void>;
}

export interface OtlpExporterOptions {
  /** Collector base URL; spans go to `{endpoint}/v1/traces`. */
  endpoint: string;
  headers: Record<string, string>;
  serviceName: string;
  batchIntervalMs: number;
  maxBatchSpans: number;
  /** Where export failures and drops are reported. Defaults to the process's stderr. */
  warn?: (message: string) => void;
  fetchImpl?: typeof fetch;
  /** A collector that has not answered by then is given up on, so shutdown cannot hang on it. */
  requestTimeoutMs?: number;
}

/** Spans held while the collector is slow or down, in batches: beyond it the oldest are dropped. */
const QUEUE_BATCHES = 10;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const SCOPE = { name: 'switchyard', version: '0.1.0' } as const;

interface PostFailure {
  spans: number;
  reason: string;
}

/**
 * Exports one span per gateway request as OTLP/HTTP JSON. `export` only converts the record and
 * queues it; an unref'd timer posts the queue in batches, one post at a time. A failed post is
 * reported and its batch dropped rather than retried, so a dead collector costs bounded memory and
 * never reaches the request path.
 * https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
export function createOtlpExporter(options: OtlpExporterOptions): OtlpExporter {
  if (!(options.batchIntervalMs > 0))
    throw new RangeError('telemetry.otlp.batchIntervalMs must be a positive number');
  if (!(Number.isInteger(options.maxBatchSpans) && options.maxBatchSpans >= 1)) {
    throw new RangeError('telemetry.otlp.maxBatchSpans must be a positive integer');
  }
  const url = new URL(`${options.endpoint.replace(/\/+$/, '')}/v1/traces`).href;
  const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/json' };
  const report = options.warn ?? ((message: string) => void process.stderr.write(`${message}\n`));
  // Runs from timers: a throwing reporter must not become an unhandled rejection.
  const warn = (message: string): void => {
    try {
      report(message);
    } catch {
      // Nothing left to tell.
    }
  };
  const fetchImpl = options.fetchImpl ?? fetch;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxBatchSpans = options.maxBatchSpans;
  const maxQueuedSpans = QUEUE_BATCHES * maxBatchSpans;
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: options.serviceName } }] };

  // Queued spans are queue[head..]; dropping the oldest moves `head` instead of shifting the array.
  let queue: OtlpSpan[] = [];
  let head = 0;
  let droppedSinceWarning = 0;
  let closed = false;
  let draining: Promise<void> | undefined;

  function takeBatch(): OtlpSpan[] {
    const batch = queue.slice(head, head + maxBatchSpans);
    head += batch.length;
    if (head >= queue.length) {
      queue = [];
      head = 0;
    }
    return batch;
  }

  async function post(spans: OtlpSpan[]): Promise<PostFailure | undefined> {
    const body = JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: SCOPE, spans }] }] });
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      // Read the body so the connection returns to the pool.
      const text = await response.text();
      if (!response.ok) {
        return {
          spans: spans.length,
          reason: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        };
      }
      return rejectedByCollector(text, spans.length);
    } catch (error) {
      return { spans: spans.length, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Posts the queue batch by batch. The first failure ends the drain: a collector that is down or
   * hanging costs one attempt per interval, and the spans behind the failed batch wait for the next.
   */
  async function drain(): Promise<void> {
    while (queue.length > head) {
      const failure = await post(takeBatch());
      if (failure) {
        const waiting = queue.length - head;
        warn(
          `OTLP trace export to ${url} failed, ${failure.spans} span${failure.spans === 1 ? '' : 's'} dropped` +
            `${waiting > 0 ? ` (${waiting} still queued)` : ''}: ${failure.reason}`,
        );
        return;
      }
    }
  }

  function reportDrops(): void {
    if (droppedSinceWarning === 0) return;
    warn(
      `OTLP trace export queue full (${maxQueuedSpans} spans): dropped the ${droppedSinceWarning} oldest; ` +
        'the collector is slow or down',
    );
    droppedSinceWarning = 0;
  }

  /** One drain at a time; a drain asked for while one runs starts when it ends. */
  function startDrain(): Promise<void> {
    const previous = draining ?? Promise.resolve();
    const next = previous.then(drain);
    draining = next;
    void next.finally(() => {
      if (draining === next) draining = undefined;
    });
    return next;
  }

  const timer = setInterval(() => {
    reportDrops();
    if (draining === undefined && queue.length > head) void startDrain();
  }, options.batchIntervalMs);
  timer.unref();

  return {
    export(record) {
      if (closed) return;
      try {
        queue.push(recordToOtlpSpan(record));
      } catch (error) {
        warn(
          `OTLP trace export skipped request ${record.id}: ${error instanceof Error ? error.message : String(error)}`,
        );
        return;
      }
      if (queue.length - head > maxQueuedSpans) {
        head += 1;
        droppedSinceWarning += 1;
        // Reclaim the dropped slots once they outnumber the live ones, so a long outage stays bounded.
        if (head > maxQueuedSpans) {
          queue = queue.slice(head);
          head = 0;
        }
      }
    },
    async flush() {
      reportDrops();
      await startDrain();
    },
    async close() {
      if (closed) {
        await draining;
        return;
      }
      closed = true;
      clearInterval(timer);
      reportDrops();
      await startDrain();
      const unsent = queue.length - head;
      if (unsent > 0) warn(`OTLP trace export closed with ${unsent} span${unsent === 1 ? '' : 's'} unsent`);
      queue = [];
      head = 0;
    },
  };
}

/**
 * A 200 can still carry a partial success naming spans the collector refused.
 * https://opentelemetry.io/docs/specs/otlp/#partial-success-1
 */
function rejectedByCollector(text: string, sent: number): PostFailure | undefined {
  if (!text.includes('rejectedSpans')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('partialSuccess' in parsed)) return undefined;
    const partial = parsed.partialSuccess;
    if (typeof partial !== 'object' || partial === null) return undefined;
    const rejected = 'rejectedSpans' in partial ? Number(partial.rejectedSpans) : 0;
    if (!(rejected > 0)) return undefined;
    const message =
      'errorMessage' in partial && typeof partial.errorMessage === 'string' ? partial.errorMessage : '';
    return {
      spans: Math.min(rejected, sent),
      reason: `collector rejected ${rejected} span(s)${message ? `: ${message}` : ''}`,
    };
  } catch {
    return undefined;
  }
}
