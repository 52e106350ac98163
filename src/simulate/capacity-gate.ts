interface Waiter {
  admit: (admitted: boolean) => void;
}

/**
 * The simulated GPU: up to `capacity` requests decode at full speed; up to `maxConcurrent` run at
 * once sharing the same total throughput (so each slows down, as a saturated batch does); the rest
 * wait in a FIFO queue, as vLLM's scheduler queues requests when the KV cache is full.
 */
export class CapacityGate {
  running = 0;
  maxRunningSeen = 0;
  maxWaitingSeen = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private capacity: number,
    private maxConcurrent: number,
  ) {}

  resize(capacity: number, maxConcurrent: number): void {
    this.capacity = capacity;
    this.maxConcurrent = maxConcurrent;
    this.drain();
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Share of full speed each running request gets now. */
  speedFactor(): number {
    return this.running <= this.capacity ? 1 : this.capacity / this.running;
  }

  /** KV-cache fill, as vLLM reports it: running requests against the most that fit. */
  cacheUsage(): number {
    return Math.min(this.running / this.maxConcurrent, 1);
  }

  /** Takes a slot now if one is free. */
  tryEnter(): boolean {
    if (this.queue.length || this.running >= this.maxConcurrent) return false;
    this.take();
    return true;
  }

  /** Waits in line for a slot; resolves false if the signal aborts first. */
  enter(signal: AbortSignal): Promise<boolean> {
    if (this.tryEnter()) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        admit: (admitted) => {
          signal.removeEventListener('abort', onAbort);
          resolve(admitted);
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        waiter.admit(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      if (this.queue.length > this.maxWaitingSeen) this.maxWaitingSeen = this.queue.length;
    });
  }

  leave(): void {
    this.running--;
    this.drain();
  }

  resetPeaks(): void {
    this.maxRunningSeen = this.running;
    this.maxWaitingSeen = this.queue.length;
  }

  private take(): void {
    this.running++;
    if (this.running > this.maxRunningSeen) this.maxRunningSeen = this.running;
  }

  private drain(): void {
    while (this.queue.length && this.running < this.maxConcurrent) {
      this.take();
      this.queue.shift()?.admit(true);
    }
  }
}
