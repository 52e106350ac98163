import { GatewayError, UpstreamError } from '../../spec/gateway-error.js';
import type { SecretScrubber } from '../../secrets/secret-scrubber.js';
import { internalError } from '../pipeline/execute-attempts.js';

/**
 * The error a client is shown, built by the gateway rather than copied from an upstream: known
 * secrets are scrubbed from the message, and an upstream refusing the gateway's own credentials
 * (401/403) becomes a 502, since the client's key is not what failed and an SDK would otherwise
 * report its own key as wrong.
 */
export function toClientError(
  err: unknown,
  scrubber: SecretScrubber,
  presentedKey?: string | null,
): GatewayError {
  const error = internalError(err);
  if (error instanceof UpstreamError && (error.upstreamStatus === 401 || error.upstreamStatus === 403))
    return new GatewayError({
      status: 502,
      type: 'upstream_error',
      code: 'upstream_auth_failed',
      message: `Deployment '${error.deployment}' refused the gateway's credentials (HTTP ${error.upstreamStatus}). The gateway's configuration for it needs fixing (apiKeyEnv, headers); your own key was accepted.`,
    });
  const message = scrubber.scrub(error.message, presentedKey);
  if (message === error.message) return error;
  return new GatewayError({
    status: error.status,
    type: error.type,
    code: error.code,
    param: error.param,
    message,
    headers: error.headers,
  });
}
