import type { IncomingHttpHeaders } from 'node:http';
import type { CapacityGate } from './capacity-gate.js';
import type { FaultMode } from './simulator-options.js';

/** One request as the simulator saw it; filled in as the request progresses. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined for requests without one. */
  body: unknown;
  receivedAtMs: number;
  fault: FaultMode | undefined;
  status: number | undefined;
  abortedByClient: boolean;
  /** Time spent waiting for a free slot. */
  queuedMs: number;
  /** Lowest share of full decode speed while the request ran (1 = never slowed down). */
  slowestSpeedFactor: number;
  promptTokens: number | undefined;
  completionTokens: number | undefined;
}

export interface SimulatorStats {
  /** Requests received, every path included. */
  readonly requests: number;
  /** The most recent requests, oldest first. */
  readonly recent: readonly RecordedRequest[];
  readonly abortedByClient: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Requests holding a generation slot now, and the most seen. */
  readonly running: number;
  readonly maxRunning: number;
  /** Requests queued for a slot now, and the most seen. */
  readonly waiting: number;
  readonly maxWaiting: number;
  readonly faultsInjected: Readonly<Partial<Record<FaultMode, number>>>;
  /** The most recent request, if any. */
  readonly last: RecordedRequest | undefined;
  /** Zeroes counters and forgets recent requests (in-flight requests keep running). */
  reset(): void;
}

export class StatsCollector implements SimulatorStats {
  requests = 0;
  abortedByClient = 0;
  inFlight = 0;
  maxInFlight = 0;
  faultsInjected: Partial<Record<FaultMode, number>> = {};
  private ring: RecordedRequest[] = [];
  private next = 0;

  constructor(
    private readonly gate: CapacityGate,
    private keep: number,
  ) {}

  setKeep(keep: number): void {
    if (keep === this.keep) return;
    const kept = keep === 0 ? [] : this.recent.slice(-keep);
    this.ring = kept;
    this.next = kept.length % Math.max(keep, 1);
    this.keep = keep;
  }

  get running(): number {
    return this.gate.running;
  }
  get maxRunning(): number {
    return this.gate.maxRunningSeen;
  }
  get waiting(): number {
    return this.gate.waiting;
  }
  get maxWaiting(): number {
    return this.gate.maxWaitingSeen;
  }

  get recent(): RecordedRequest[] {
    if (this.ring.length < this.keep) return this.ring.slice();
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  get last(): RecordedRequest | undefined {
    if (!this.ring.length) return undefined;
    return this.ring[(this.next - 1 + this.ring.length) % this.ring.length];
  }

  begin(record: RecordedRequest): void {
    this.requests++;
    if (++this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    if (this.keep === 0) return;
    if (this.ring.length < this.keep) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.keep;
  }

  end(): void {
    this.inFlight--;
  }

  countFault(mode: FaultMode): void {
    this.faultsInjected[mode] = (this.faultsInjected[mode] ?? 0) + 1;
  }

  reset(): void {
    this.requests = 0;
    this.abortedByClient = 0;
    this.maxInFlight = this.inFlight;
    this.faultsInjected = {};
    this.ring = [];
    this.next = 0;
    this.gate.resetPeaks();
  }
}
