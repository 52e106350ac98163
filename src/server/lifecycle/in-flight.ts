import { GatewayError } from '../../spec/gateway-error.js';

/** What the tracker needs of a request: a way to cut it. */
export interface Cuttable {
  readonly stop: AbortController;
}

export const shuttingDown = () =>
  new GatewayError({
    status: 503,
    type: 'server_error',
    code: 'shutting_down',
    message: 'The gateway is shutting down and takes no new requests; retry, another replica will answer.',
    headers: { 'retry-after': '1' },
  });

const cutAtShutdown = () =>
  new GatewayError({
    status: 503,
    type: 'server_error',
    code: 'shutting_down',
    message: 'The gateway shut down before this request finished (its grace period ran out).',
  });

/** How long cut requests get to record themselves before connections are closed. */
const CUT_SETTLE_MS = 2_000;

/**
 * The requests in flight, for a graceful stop: once draining, no new work is taken, the drain ends
 * as soon as the last request has finished (not when the grace period runs out), and whatever is
 * still running when it does is cut, which makes it record itself as cut.
 */
export class InFlight {
  private readonly requests = new Set<Cuttable>();
  private draining = false;
  private onEmpty: (() => void) | null = null;

  get closing(): boolean {
    return this.draining;
  }

  get size(): number {
    return this.requests.size;
  }

  add(request: Cuttable): void {
    this.requests.add(request);
  }

  delete(request: Cuttable): void {
    this.requests.delete(request);
    if (this.requests.size === 0 && this.onEmpty) this.onEmpty();
  }

  /** Resolves when every request has ended: within `graceMs`, or after the rest were cut. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    if (await this.emptyWithin(graceMs)) return;
    for (const request of this.requests) request.stop.abort(cutAtShutdown());
    await this.emptyWithin(CUT_SETTLE_MS);
  }

  private emptyWithin(ms: number): Promise<boolean> {
    if (this.requests.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onEmpty = null;
        resolve(false);
      }, ms);
      this.onEmpty = () => {
        clearTimeout(timer);
        this.onEmpty = null;
        resolve(true);
      };
    });
  }
}
