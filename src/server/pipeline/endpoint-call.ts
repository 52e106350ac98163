import type { Deployment } from '../../spec/deployment.js';
import type { GatewayError } from '../../spec/gateway-error.js';
import type { ProviderAdapter } from '../../spec/provider-adapter.js';
import type { AnswerTally } from './answer-tally.js';

/** Where one attempt goes and under which conditions. */
export interface AttemptTarget {
  deployment: Deployment;
  adapter: ProviderAdapter;
  /** Residency: detected personal data must be replaced before the request leaves for this deployment. */
  redact: boolean;
  /** Aborted by the attempt's budgets, the client leaving, or shutdown; adapters pass it to the socket. */
  signal: AbortSignal;
  requestId: string;
}

/** A whole answer, rendered for the client. */
export interface CompletedAnswer {
  /** The response body in the client's protocol. */
  body: unknown;
  tally: AnswerTally;
  /** The upstream answered with `finish_reason: content_filter` (OpenAI, Azure): a refusal. */
  contentFiltered: boolean;
  /** Spans replaced before the request left (residency redaction). */
  redacted?: number;
}

/** A piece of a streamed answer, rendered for the client (server-sent event text). */
export interface StreamPiece {
  text: string;
  /** Carries something a user would see: the first such piece ends the wait for the first token. */
  content: boolean;
}

/** A streamed answer whose upstream answered 200. */
export interface AnswerStream {
  /** The next piece, or null at the end. Throws UpstreamError when the upstream fails. */
  next(): Promise<StreamPiece | null>;
  /** Text that ends a successful stream. */
  end(): string;
  /** Text that ends a stream that failed after it started: an explicit error, never a clean end. */
  fail(error: GatewayError): string;
  /** Releases the upstream (idempotent). */
  close(): void;
  tally: AnswerTally;
  redacted?: number;
}

/**
 * One endpoint's upstream call, made once per attempt: the request built for the attempt's
 * deployment, the answer read and rendered in the client's protocol. The executor owns everything
 * around it: order, retries, budgets, breakers and aborts.
 */
export interface EndpointCall {
  readonly stream: boolean;
  /** Whether the deployment's adapter can serve this call at all. */
  supports(adapter: ProviderAdapter): boolean;
  complete(target: AttemptTarget): Promise<CompletedAnswer>;
  open(target: AttemptTarget): Promise<AnswerStream>;
}
