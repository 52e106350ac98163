import type { ServerResponse } from 'node:http';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { sendJson } from '../http/send-json.js';

/** GET /v1/models: the public model names clients may ask for, in OpenAI's list shape. */
export function serveModels(
  config: GatewayConfig,
  res: ServerResponse,
  headers: Record<string, string>,
): void {
  const created = Math.floor(Date.now() / 1000);
  const data = [...config.models.values()].map((m) => ({
    id: m.name,
    object: 'model',
    created,
    owned_by: 'switchyard',
  }));
  sendJson(res, 200, { object: 'list', data }, headers);
}
