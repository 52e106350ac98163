import { countTokens, messages } from './anthropic/messages.js';
import type { Exchange } from './exchange.js';
import { SimError } from './sim-error.js';
import { chatCompletions } from './openai/chat-completions.js';
import { embeddings } from './openai/embeddings.js';
import { textCompletions } from './openai/text-completions.js';
import type { ProfileName, SimulatorBehaviour } from './simulator-options.js';

export type RouteHandler = (ex: Exchange) => void | Promise<void>;

const MODELS_CREATED = 1_735_689_600; // 2025-01-01, a fixed date so listings are stable

function modelEntry(ex: Exchange, id: string): Record<string, unknown> {
  if (ex.anthropic)
    return { type: 'model', id, display_name: `${id} (simulated)`, created_at: '2025-01-01T00:00:00Z' };
  return {
    id,
    object: 'model',
    created: MODELS_CREATED,
    owned_by: ex.profile.ownedBy,
    ...ex.profile.modelEntryExtras(ex.behaviour.contextWindow),
  };
}

function listModels(ex: Exchange): void {
  const data = ex.behaviour.models.map((id) => modelEntry(ex, id));
  if (ex.anthropic)
    ex.sendJson(200, { data, has_more: false, first_id: data[0].id, last_id: data[data.length - 1].id });
  else ex.sendJson(200, { object: 'list', data });
}

/** GET /v1/models/{id}: one model, or the protocol's not-found error. */
export function getModel(ex: Exchange, id: string): void {
  if (ex.behaviour.models.includes(id)) return ex.sendJson(200, modelEntry(ex, id));
  if (ex.anthropic)
    return ex.fail(
      new SimError({
        status: 404,
        type: 'invalid_request_error',
        code: 'model_not_found',
        message: `model: ${id}`,
      }),
    );
  ex.sendJson(404, {
    error: {
      message: `The model '${id}' does not exist`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    },
  });
}

function health(ex: Exchange): void {
  const healthy = ex.behaviour.healthy;
  // vLLM and TGI answer /health with an empty 200; a JSON body elsewhere is easier to read.
  if (ex.behaviour.profile === 'vllm' || ex.behaviour.profile === 'tgi')
    ex.send(healthy ? 200 : 503, 'text/plain; charset=utf-8', '');
  else ex.sendJson(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', simulated: true });
}

const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

const PROFILE_ROUTES: Record<ProfileName, Record<string, RouteHandler>> = {
  vllm: {
    'GET /metrics': (ex) => ex.send(200, PROMETHEUS, ex.state.metrics.renderVllm()),
    'GET /version': (ex) => ex.sendJson(200, { version: 'simulated' }),
  },
  tgi: {
    'GET /metrics': (ex) => ex.send(200, PROMETHEUS, ex.state.metrics.renderTgi()),
    'GET /info': (ex) =>
      ex.sendJson(200, {
        model_id: ex.behaviour.models[0],
        max_concurrent_requests: ex.behaviour.maxConcurrent,
        max_total_tokens: ex.behaviour.contextWindow,
        version: 'simulated',
      }),
  },
  ollama: {
    'GET /': (ex) => ex.send(200, 'text/plain; charset=utf-8', 'Ollama is running (simulated)'),
    'GET /api/version': (ex) => ex.sendJson(200, { version: 'simulated' }),
    'GET /api/tags': (ex) =>
      ex.sendJson(200, {
        models: ex.behaviour.models.map((name) => ({
          name,
          model: name,
          modified_at: '2025-01-01T00:00:00Z',
          size: 0,
        })),
      }),
  },
  openai: {},
};

/** Method and path → handler, for the protocol and profile in force. */
export function buildRoutes(b: SimulatorBehaviour): Map<string, RouteHandler> {
  const routes = new Map<string, RouteHandler>([
    ['GET /v1/models', listModels],
    ['GET /health', health],
  ]);
  if (b.protocol === 'anthropic') {
    routes.set('POST /v1/messages', messages);
    routes.set('POST /v1/messages/count_tokens', countTokens);
    return routes;
  }
  routes.set('POST /v1/chat/completions', chatCompletions);
  routes.set('POST /v1/completions', textCompletions);
  routes.set('POST /v1/embeddings', embeddings);
  for (const [key, handler] of Object.entries(PROFILE_ROUTES[b.profile])) routes.set(key, handler);
  return routes;
}
