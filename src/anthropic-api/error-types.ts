/**
 * Anthropic's error types and the HTTP status each stands for, both ways: rendering the gateway's
 * own errors for the Anthropic SDK (which picks its error class and retry by them) and reading the
 * status of an error that arrives inside a 200 stream.
 * https://docs.anthropic.com/en/api/errors (read 2026-11-25); the SDK's ErrorType lists the same.
 */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const TYPE_OF_STATUS: ReadonlyMap<number, string> = new Map(
  Object.entries(STATUS_OF_TYPE).map(([type, status]) => [status, type]),
);

/** The error type for a status. A 503 is an overload, as Anthropic's 529; other 4xx are invalid requests. */
export function anthropicErrorType(status: number): string {
  if (status === 503) return 'overloaded_error';
  return (
    TYPE_OF_STATUS.get(status) ?? (status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error')
  );
}

/** The HTTP status an error type stands for; unknown types are server errors. */
export function statusForAnthropicErrorType(type: string | undefined): number {
  return (type !== undefined && STATUS_OF_TYPE[type]) || 500;
}
