import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerProfile } from './profiles.js';
import { randomAlnum } from './seeded-random.js';
import { SimError, badRequest } from './sim-error.js';
import type { SimulatorState } from './simulator-state.js';
import { FAULT_MODES, type FaultMode, type SimulatorBehaviour } from './simulator-options.js';
import type { RecordedRequest } from './simulator-stats.js';
import { jittered, paceSteps, sleep } from './token-pacer.js';

const FAULT_SET: ReadonlySet<string> = new Set(FAULT_MODES);

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * One request and its response. Owns the request's slot in the capacity gate, its abort signal
 * (fired when the client goes away) and the bookkeeping in stats and metrics.
 */
export class Exchange {
  readonly startedAt = performance.now();
  readonly record: RecordedRequest;
  /** Behaviour as it was when the request arrived; a later setBehaviour does not change it midway. */
  readonly behaviour: SimulatorBehaviour;
  readonly profile: ServerProfile;
  fault: FaultMode | undefined;
  private controller: AbortController | undefined;
  private closedByServer = false;
  private holdsSlot = false;
  private firstTokenAt = 0;
  private closed = false;
  private ttftOverrideMs: number | undefined;
  private tokensPerSecondOverride: number | undefined;
  /** x-simulate-output-tokens, overriding the configured answer length. */
  outputTokensOverride: number | undefined;

  constructor(
    readonly state: SimulatorState,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly path: string,
  ) {
    this.behaviour = state.behaviour;
    this.profile = state.profile;
    this.record = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: undefined,
      receivedAtMs: Date.now(),
      fault: undefined,
      status: undefined,
      abortedByClient: false,
      queuedMs: 0,
      slowestSpeedFactor: 1,
      promptTokens: undefined,
      completionTokens: undefined,
    };
    state.stats.begin(this.record);
    res.once('close', () => this.onClose());
  }

  get body(): unknown {
    return this.record.body;
  }

  set body(value: unknown) {
    this.record.body = value;
  }

  /** Aborts when the client disconnects before the response is complete. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.closed) this.controller.abort();
    }
    return this.controller.signal;
  }

  get anthropic(): boolean {
    return this.behaviour.protocol === 'anthropic';
  }

  /** A numeric per-request override header such as x-simulate-ttft-ms. */
  private numberHeader(name: string): number | undefined {
    const raw = headerValue(this.req, name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw badRequest(`${name} must be a non-negative number`);
    return n;
  }

  /**
   * Reads the per-request overrides and picks this request's fault: the x-simulate-fault header,
   * else `errorMode` at `errorRate`. Bad override headers fail here, before any byte is sent.
   */
  chooseFault(): FaultMode | undefined {
    this.ttftOverrideMs = this.numberHeader('x-simulate-ttft-ms');
    this.tokensPerSecondOverride = this.numberHeader('x-simulate-tokens-per-second');
    this.outputTokensOverride = this.numberHeader('x-simulate-output-tokens');
    const asked = headerValue(this.req, 'x-simulate-fault');
    let fault: FaultMode | undefined;
    if (asked !== undefined && asked !== '' && asked !== 'none') {
      if (!FAULT_SET.has(asked))
        throw badRequest(`x-simulate-fault must be one of ${FAULT_MODES.join(', ')}`, null, 'invalid_fault');
      fault = asked as FaultMode;
    } else if (this.behaviour.errorRate > 0 && Math.random() < this.behaviour.errorRate) {
      fault = this.behaviour.errorMode;
    }
    if (fault) {
      this.fault = fault;
      this.record.fault = fault;
      this.state.stats.countFault(fault);
    }
    return fault;
  }

  /** Takes a generation slot, queueing if the simulated server is full. False if the client left. */
  async admit(): Promise<boolean> {
    const gate = this.state.gate;
    if (gate.tryEnter()) {
      this.holdsSlot = true;
      return true;
    }
    const queuedAt = performance.now();
    const admitted = await gate.enter(this.signal);
    this.record.queuedMs = performance.now() - queuedAt;
    if (!admitted) return false;
    if (this.res.destroyed) {
      gate.leave();
      return false;
    }
    this.holdsSlot = true;
    return true;
  }

  /** Waits out the time to first token: longer when over capacity, plus the slowFirstToken fault. */
  async waitFirstToken(): Promise<boolean> {
    const b = this.behaviour;
    let ms = this.ttftOverrideMs ?? b.ttftMs;
    const gate = this.state.gate;
    if (ms > 0 && gate.running > b.capacity) ms *= gate.running / b.capacity;
    ms = jittered(ms, b.jitter);
    if (this.fault === 'slowFirstToken') ms += b.slowFirstTokenMs;
    const ok = ms <= 0 ? !this.res.destroyed : await sleep(ms, this.signal);
    if (ok) {
      this.firstTokenAt = performance.now();
      this.state.metrics.firstToken((this.firstTokenAt - this.startedAt) / 1000);
    }
    return ok;
  }

  tokensPerSecond(): number {
    return this.tokensPerSecondOverride ?? this.behaviour.tokensPerSecond;
  }

  /** Decode pacing for `steps` steps, or undefined when the model is instant. */
  pace(steps: number): AsyncGenerator<number> | undefined {
    const tps = this.tokensPerSecond();
    if (tps <= 0 || steps <= 0) return undefined;
    const gate = this.state.gate;
    return paceSteps(steps, {
      tokensPerSecond: tps,
      jitter: this.behaviour.jitter,
      speedFactor: () => gate.speedFactor(),
      onSpeed: (f) => {
        if (f < this.record.slowestSpeedFactor) this.record.slowestSpeedFactor = f;
      },
      signal: this.signal,
    });
  }

  /** Waits as long as decoding `steps` steps takes; false if the client left meanwhile. */
  async decodeSilently(steps: number): Promise<boolean> {
    const pacer = this.pace(steps);
    if (!pacer) return !this.res.destroyed;
    let done = 0;
    for await (const n of pacer) done += n;
    return done >= steps && !this.res.destroyed;
  }

  private anthropicRequestId: string | undefined;

  /** Anthropic's request id, sent as the request-id header and inside error bodies. */
  private requestId(): string {
    this.anthropicRequestId ??= `req_${randomAlnum(24)}`;
    return this.anthropicRequestId;
  }

  private baseHeaders(): Record<string, string> {
    if (this.anthropic) return { 'x-switchyard-simulated': 'true', 'request-id': this.requestId() };
    return this.profile.headers(performance.now() - this.startedAt);
  }

  send(status: number, contentType: string, body: string, extra?: Record<string, string>): void {
    if (this.res.destroyed) return;
    this.record.status = status;
    this.res.writeHead(status, {
      ...this.baseHeaders(),
      ...extra,
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
    });
    this.releaseSlot();
    this.res.end(body);
  }

  sendJson(status: number, value: unknown, extra?: Record<string, string>): void {
    this.send(status, 'application/json', JSON.stringify(value), extra);
  }

  /** Sends status and headers of a JSON body but only part of it, then drops the connection. */
  sendTruncatedJson(value: unknown): void {
    if (this.res.destroyed) return;
    const body = JSON.stringify(value);
    this.record.status = 200;
    this.res.writeHead(200, {
      ...this.baseHeaders(),
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    this.res.write(body.slice(0, Math.floor(body.length / 2)), () => this.destroy());
  }

  fail(err: SimError): void {
    if (this.res.headersSent) {
      this.destroy();
      return;
    }
    const body = this.anthropic
      ? {
          type: 'error',
          error: { type: err.anthropicType, message: err.message },
          request_id: this.requestId(),
        }
      : { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
    this.sendJson(err.status, body, err.headers);
  }

  startEventStream(): void {
    this.record.status = 200;
    this.res.writeHead(200, {
      ...this.baseHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.res.flushHeaders();
  }

  write(text: string): void {
    if (!this.res.destroyed) this.res.write(text);
  }

  end(text?: string): void {
    this.releaseSlot();
    if (!this.res.destroyed) this.res.end(text);
  }

  /** Frees the generation slot as soon as the answer is complete, not when the socket closes later. */
  private releaseSlot(): void {
    if (this.holdsSlot) {
      this.holdsSlot = false;
      this.state.gate.leave();
    }
  }

  /** Drops the connection on purpose (a fault), which is not a client abort. */
  destroy(): void {
    this.closedByServer = true;
    this.req.socket.destroy();
  }

  /**
   * Drops the connection once what was written so far has left, so the client sees a stream that
   * breaks off rather than one that never started. Node corks responses until the next tick.
   */
  destroyAfterFlush(): void {
    this.closedByServer = true;
    setImmediate(() => {
      const socket = this.req.socket;
      if (socket.writableLength > 0) socket.once('drain', () => socket.destroy());
      else socket.destroy();
    });
  }

  /** Records a successful generation in metrics and stats. */
  succeed(promptTokens: number, completionTokens: number): void {
    this.record.promptTokens = promptTokens;
    this.record.completionTokens = completionTokens;
    this.state.metrics.succeeded(promptTokens, completionTokens, (performance.now() - this.startedAt) / 1000);
  }

  private onClose(): void {
    this.closed = true;
    this.releaseSlot();
    if (!this.res.writableFinished && !this.closedByServer && !this.state.closing) {
      this.record.abortedByClient = true;
      this.state.stats.abortedByClient++;
    }
    this.controller?.abort();
    this.state.stats.end();
  }
}
