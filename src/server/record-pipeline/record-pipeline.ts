import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SelfHostedReport } from '../../cost/self-hosted-cost-allocator.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { RequestRecord } from '../../spec/request-record.js';
import type { RecordDetail, RecordSink } from '../gateway-services.js';
import type {
  AttemptItem,
  FromWorker,
  PricedFields,
  RecordItem,
  RecordWorkerConfig,
  ShadowItem,
  ToWorker,
} from './record-messages.js';

/**
 * Records wait up to this long to go over together: each message to the worker costs the main
 * thread a structured clone and a wake-up, which per request was a tenth of its time under load.
 */
const BATCH_WAIT_MS = 5;
/** A batch this large goes at once, so a burst never waits for the timer. */
const BATCH_ITEMS = 256;

interface Pending {
  item: RecordItem;
  onPriced?: (costUsd: number | null) => void;
}

export interface RecordPipelineOptions {
  metrics: GatewayMetrics;
  warn: (message: string) => void;
  /** Records handed over but not yet priced beyond which new requests are refused (503). */
  maxBacklog: number;
}

/**
 * The worker's compiled file. The gateway runs from `dist/`; tests run the TypeScript sources,
 * whose worker is the compiled one next to them in `dist/` (`npm test` builds first).
 */
function workerFile(): URL {
  const here = new URL('./record-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  const built = new URL(here.href.replace('/src/', '/dist/'));
  if (!existsSync(fileURLToPath(built)))
    throw new Error(`the record worker is not built (${fileURLToPath(built)}); run npm run build`);
  return built;
}

export const recordsBacklogged = (backlog: number) =>
  new GatewayError({
    status: 503,
    type: 'server_error',
    code: 'records_backlogged',
    message: `The gateway's record writer is ${backlog} records behind; new requests wait until it catches up, so none goes unrecorded.`,
    headers: { 'retry-after': '1' },
  });

/**
 * Hands finished requests to the record worker and applies what comes back. Records go over in batches
 * (at most a few milliseconds apart); each stays here until it is priced, when its budget reservation is
 * settled and the metrics count it. A worker that dies is restarted and sent again every record it
 * had not priced, so none is lost.
 */
export class RecordPipeline implements RecordSink {
  private worker!: Worker;
  private readonly pending = new Map<string, Pending>();
  private queue: Array<RecordItem | AttemptItem | ShadowItem> = [];
  private readonly shadowPending = new Map<string, (costUsd: number) => void>();
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (message: Extract<FromWorker, { t: 'done' }>) => void>();
  private closing = false;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    private readonly config: RecordWorkerConfig,
    private readonly options: RecordPipelineOptions,
  ) {}

  static async start(config: RecordWorkerConfig, options: RecordPipelineOptions): Promise<RecordPipeline> {
    const pipeline = new RecordPipeline(config, options);
    await pipeline.spawn();
    return pipeline;
  }

  /** Records handed over and not priced yet. */
  get backlog(): number {
    return this.pending.size;
  }

  /** Throws 503 while the worker is too far behind to take more. */
  admit(): void {
    if (this.pending.size >= this.options.maxBacklog) throw recordsBacklogged(this.pending.size);
  }

  attemptStarted(requestId: string, deploymentId: string): void {
    this.enqueue({ t: 'attempt', requestId, deploymentId, atMs: Date.now() });
  }

  /** A completed shadow pair: priced and stored by the worker; `onPriced` gets what it cost. */
  finishShadow(item: Omit<ShadowItem, 't'>, onPriced?: (costUsd: number) => void): void {
    if (onPriced) this.shadowPending.set(item.pair.id, onPriced);
    this.enqueue({ t: 'shadow', ...item });
  }

  finish(record: RequestRecord, detail: RecordDetail, onPriced?: (costUsd: number | null) => void): void {
    const item: RecordItem = { t: 'record', record };
    if (this.config.cost.baseline || record.usageEstimated) {
      item.request = detail.request;
      item.outputText = detail.outputText;
    }
    this.pending.set(record.id, { item, onPriced });
    this.enqueue(item);
  }

  async flush(): Promise<void> {
    await this.call({ t: 'flush', id: this.nextId++ });
  }

  async selfHostedReports(): Promise<Map<string, SelfHostedReport>> {
    const done = await this.call({ t: 'reports', id: this.nextId++ });
    return new Map(done.reports ?? []);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    // Set first: the worker's last message and its exit arrive in the same tick.
    this.closing = true;
    await this.call({ t: 'close', id: this.nextId++ });
    void this.worker.terminate();
    await this.exited;
  }

  private enqueue(item: RecordItem | AttemptItem | ShadowItem): void {
    this.queue.push(item);
    if (this.queue.length >= BATCH_ITEMS) this.send();
    else this.timer ??= setTimeout(this.send, BATCH_WAIT_MS);
  }

  private readonly send = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const items = this.queue;
    this.queue = [];
    try {
      this.worker.postMessage({ t: 'batch', items } satisfies ToWorker);
    } catch {
      // Something in the batch cannot be cloned: send the items one by one, so the rest still go.
      for (const item of items) this.sendOne(item);
    }
  };

  /**
   * One item, and for a record that cannot be cloned, the record without its request detail: it is
   * stored (and priced on its usage) without a baseline rather than lost.
   */
  private sendOne(item: RecordItem | AttemptItem | ShadowItem): void {
    try {
      this.worker.postMessage({ t: 'batch', items: [item] } satisfies ToWorker);
    } catch (err) {
      if (item.t !== 'record') {
        this.options.warn(
          `dropping a ${item.t} item the record worker cannot receive: ${(err as Error).message}`,
        );
        return;
      }
      this.options.warn(
        `record ${item.record.id}: its request could not be handed over (${(err as Error).message}); stored without a baseline`,
      );
      item.request = undefined;
      item.outputText = undefined;
      this.worker.postMessage({ t: 'batch', items: [item] } satisfies ToWorker);
    }
  }

  private call(message: Extract<ToWorker, { id: number }>): Promise<Extract<FromWorker, { t: 'done' }>> {
    // Whatever is queued goes first, so a flush covers every record handed over before it.
    this.send();
    return new Promise((resolve) => {
      this.waiting.set(message.id, resolve);
      this.worker.postMessage(message);
    });
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(workerFile(), { workerData: this.config });
      this.worker = worker;
      // Listened for from the start: a worker that has ended emits `exit` only once.
      this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        switch (message.t) {
          case 'ready':
            ready = true;
            resolve();
            return;
          case 'priced':
            for (const fields of message.items) this.priced(fields);
            return;
          case 'shadowPriced':
            for (const { id, costUsd } of message.items) {
              this.shadowPending.get(id)?.(costUsd);
              this.shadowPending.delete(id);
            }
            return;
          case 'warn':
            this.options.warn(message.message);
            return;
          case 'done':
            this.waiting.get(message.id)?.(message);
            this.waiting.delete(message.id);
            return;
          case 'fatal':
            if (!ready) reject(new Error(`the record worker could not start: ${message.message}`));
            else this.options.warn(`record worker failed: ${message.message}`);
            return;
        }
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        else this.options.warn(`record worker failed: ${err.stack ?? err.message}`);
      });
      worker.on('exit', (code) => {
        if (this.closing || !ready) return;
        this.options.warn(
          `record worker exited (${code}); restarting it and sending its ${this.pending.size} unpriced records again`,
        );
        void this.respawn();
      });
    });
  }

  private async respawn(): Promise<void> {
    await this.spawn();
    this.queue = [...[...this.pending.values()].map((p) => p.item), ...this.queue];
    this.send();
    // Calls waiting on the dead worker are asked again of the new one.
    for (const id of [...this.waiting.keys()]) this.worker.postMessage({ t: 'flush', id } satisfies ToWorker);
  }

  private priced(fields: PricedFields): void {
    const pending = this.pending.get(fields.id);
    if (!pending) return;
    this.pending.delete(fields.id);
    const record = pending.item.record;
    Object.assign(record, fields);
    pending.onPriced?.(record.costUsd);
    this.options.metrics.observeRecord(record);
  }
}
