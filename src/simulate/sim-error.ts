import { anthropicErrorType } from '../anthropic-api/error-types.js';

/** An error answer of the simulated server; rendered in the protocol it speaks (OpenAI or Anthropic). */
export interface SimErrorInit {
  status: number;
  message: string;
  /** OpenAI `error.type`. */
  type: string;
  code?: string | null;
  param?: string | null;
  /** Anthropic `error.type`; derived from the status when absent. */
  anthropicType?: string;
  headers?: Record<string, string>;
}

export class SimError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly anthropicType: string;
  readonly headers: Record<string, string>;

  constructor(init: SimErrorInit) {
    super(init.message);
    this.name = 'SimError';
    this.status = init.status;
    this.type = init.type;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.anthropicType = init.anthropicType ?? anthropicErrorType(init.status);
    this.headers = init.headers ?? {};
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new SimError({ status: 400, type: 'invalid_request_error', message, param, code });
