/**
 * Aborts an upstream attempt when it goes quiet. One timer per stream, re-armed with `refresh()`
 * on every event, so a chunk costs no timer allocation.
 */
export class StreamWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private totalTimer: NodeJS.Timeout | undefined;
  /** Which budget fired: lets the caller name the failure (`first_token_timeout`, `stall`, `timeout`). */
  fired: 'first_token' | 'idle' | 'total' | null = null;
  private phase: 'first_token' | 'idle' = 'first_token';

  constructor(
    private readonly controller: AbortController,
    private readonly firstTokenMs: number,
    private readonly idleMs: number,
    totalMs: number,
  ) {
    this.timer = setTimeout(() => this.fire(this.phase), firstTokenMs);
    this.totalTimer = setTimeout(() => this.fire('total'), totalMs);
  }

  /** The first content token arrived: from now on the idle budget applies. */
  firstToken(): void {
    if (this.phase === 'idle' || !this.timer) return;
    this.phase = 'idle';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(this.phase), this.idleMs);
  }

  /** Any event arrived. */
  activity(): void {
    if (this.phase === 'idle') this.timer?.refresh();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.totalTimer) clearTimeout(this.totalTimer);
    this.timer = undefined;
    this.totalTimer = undefined;
  }

  private fire(which: 'first_token' | 'idle' | 'total'): void {
    if (this.fired) return;
    this.fired = which;
    this.stop();
    this.controller.abort(new Error(`stream ${which} budget exceeded`));
  }

  get firstTokenBudgetMs(): number {
    return this.firstTokenMs;
  }
}
