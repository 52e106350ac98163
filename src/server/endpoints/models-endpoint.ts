import type { GatewayConfig } from '../../config/gateway-config.js';
import { notFound } from '../../spec/gateway-error.js';
import type { ProviderLookup } from '../pipeline/execute-attempts.js';

export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  [key: string]: unknown;
}

/** Long enough that chat UIs polling the list do not reach the upstream each time. */
const UPSTREAM_LIST_TTL_MS = 30_000;
const UPSTREAM_LIST_TIMEOUT_MS = 5_000;

/**
 * `GET /v1/models` and `GET /v1/models/{id}`: the public model names of the config and, in
 * pass-through mode, the models the upstream itself lists (cached briefly), so chat UIs such as
 * Open WebUI or Continue can offer them.
 */
export function createModelCatalogue(config: GatewayConfig, providers: ProviderLookup) {
  const createdSec = Math.floor(Date.now() / 1000);
  const configured: ModelEntry[] = [...config.models.values()].map((m) => ({
    id: m.name,
    object: 'model',
    created: createdSec,
    owned_by: 'switchyard',
  }));
  const passthrough = config.passthroughDeployment
    ? config.deployments.get(config.passthroughDeployment)
    : undefined;
  let cached: { atMs: number; models: ModelEntry[] } | undefined;

  async function upstreamModels(requestId: string): Promise<ModelEntry[]> {
    if (!passthrough) return [];
    if (cached && Date.now() - cached.atMs < UPSTREAM_LIST_TTL_MS) return cached.models;
    const adapter = providers.get(passthrough.provider);
    if (!adapter.listModels) return [];
    const { body } = await adapter.listModels({
      deployment: passthrough,
      signal: AbortSignal.timeout(UPSTREAM_LIST_TIMEOUT_MS),
      requestId,
    });
    const models = (body.data as Array<Record<string, unknown>>).map((m) => ({
      ...m,
      id: m.id as string,
      object: 'model' as const,
      created: typeof m.created === 'number' ? m.created : createdSec,
      owned_by: typeof m.owned_by === 'string' ? m.owned_by : passthrough.id,
    }));
    cached = { atMs: Date.now(), models };
    return models;
  }

  async function list(requestId: string): Promise<ModelEntry[]> {
    let upstream: ModelEntry[] = [];
    try {
      upstream = await upstreamModels(requestId);
    } catch (err) {
      // Configured names can still be listed; with none, the client must hear why the list is empty.
      if (configured.length === 0) throw err;
    }
    const names = new Set(configured.map((m) => m.id));
    return [...configured, ...upstream.filter((m) => !names.has(m.id))];
  }

  return {
    async list(requestId: string): Promise<{ object: 'list'; data: ModelEntry[] }> {
      return { object: 'list', data: await list(requestId) };
    },
    async retrieve(id: string, requestId: string): Promise<ModelEntry> {
      const found = (await list(requestId)).find((m) => m.id === id);
      if (!found)
        throw notFound(
          `The model '${id}' does not exist or you do not have access to it.`,
          'model_not_found',
          'model',
        );
      return found;
    },
  };
}

export type ModelCatalogue = ReturnType<typeof createModelCatalogue>;
