import type { ChatCompletionRequest } from '../spec/chat.js';
import type { DataClass, DataClassSource, RouteInput } from './route-plan.js';

export interface RequestContext {
  keyId?: string | null;
  team?: string | null;
  workload?: string | null;
  /** Lower-cased header names. */
  headers?: Readonly<Record<string, string | undefined>>;
  dataClass?: DataClass;
  dataClassSource?: DataClassSource;
  sensitiveKinds?: readonly string[];
  promptTokens?: number;
  complexity?: () => number;
}

/** The routing features of a chat request: tools, JSON output, sticky ids. */
export function routeInputFromChat(request: ChatCompletionRequest, ctx: RequestContext): RouteInput {
  const format = request.response_format?.type;
  const user = typeof request.user === 'string' ? request.user : undefined;
  return {
    model: request.model,
    keyId: ctx.keyId,
    team: ctx.team,
    workload: ctx.workload,
    headers: ctx.headers,
    dataClass: ctx.dataClass,
    dataClassSource: ctx.dataClassSource,
    sensitiveKinds: ctx.sensitiveKinds,
    promptTokens: ctx.promptTokens,
    hasTools: Array.isArray(request.tools) && request.tools.length > 0,
    jsonSchema: format === 'json_schema' || format === 'json_object',
    complexity: ctx.complexity,
    user,
    sessionId: ctx.headers?.['x-session-id'],
  };
}
