import { valueFromSchema } from './json-from-schema.js';
import { hashString, randomAlnum, randomSeed, seededRandom } from './seeded-random.js';
import { simulatedLabel, simulatedTextPieces, simulatedWords } from './simulated-text.js';
import type { SimulatorBehaviour } from './simulator-options.js';
import { tokenPieces } from './token-pieces.js';
import type { ToolSpec } from './tool-calls.js';

export type PlannedFinish = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** One emitted step of a choice: a text token, the start of a tool call, or a piece of its arguments. */
export type OutputStep =
  | { kind: 'text'; text: string }
  | { kind: 'tool_start'; call: number; id: string; name: string }
  | { kind: 'tool_args'; call: number; text: string };

export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Everything one choice will say, decided before any of it is sent. */
export interface PlannedChoice {
  steps: OutputStep[];
  text: string;
  toolCalls: PlannedToolCall[];
  finish: PlannedFinish;
  /** The stop sequence that ended the text, if one did. */
  stopSequence: string | null;
  completionTokens: number;
}

export type OutputShape =
  { kind: 'text' } | { kind: 'json'; schema: unknown } | { kind: 'tools'; tools: ToolSpec[] };

export interface PlanRequest {
  model: string;
  shape: OutputShape;
  /** The request's output limit (max_tokens), if any. */
  limit: number | undefined;
  stop: readonly string[];
  seed: number | undefined;
  /** Text the seed is combined with, so the same seed and prompt give the same answer. */
  promptKey: string;
  choiceIndex: number;
  contentFilter: boolean;
  /** x-simulate-output-tokens, overriding the configured length. */
  lengthOverride: number | undefined;
  /** Prefix for tool call ids: `call_` (OpenAI) or `toolu_` (Anthropic). */
  toolIdPrefix: string;
}

const DEFAULT_FILL_TOKENS = 256;

function randomFor(req: PlanRequest): () => number {
  const seed =
    req.seed === undefined
      ? randomSeed()
      : hashString(`${req.model}\u0000${req.promptKey}\u0000${req.choiceIndex}`, req.seed >>> 0);
  return seededRandom(seed);
}

function wantedLength(b: SimulatorBehaviour, req: PlanRequest, random: () => number): number {
  if (req.lengthOverride !== undefined) return Math.floor(req.lengthOverride);
  const out = b.outputTokens;
  if (out === 'max_tokens') return req.limit ?? DEFAULT_FILL_TOKENS;
  if (typeof out === 'number') return out;
  return out.min + Math.floor(random() * (out.max - out.min + 1));
}

function cutAtStop(
  pieces: readonly string[],
  stop: readonly string[],
): { pieces: string[]; stop: string | null } {
  if (!stop.length) return { pieces: pieces as string[], stop: null };
  const text = pieces.join('');
  let at = -1;
  let which: string | null = null;
  for (const s of stop) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) {
      at = i;
      which = s;
    }
  }
  if (at < 0) return { pieces: pieces as string[], stop: null };
  const kept: string[] = [];
  let offset = 0;
  for (const p of pieces) {
    if (offset + p.length <= at) kept.push(p);
    else {
      if (offset < at) kept.push(p.slice(0, at - offset));
      break;
    }
    offset += p.length;
  }
  return { pieces: kept, stop: which };
}

export function planChoice(b: SimulatorBehaviour, req: PlanRequest): PlannedChoice {
  const random = randomFor(req);
  if (req.shape.kind === 'tools') return planToolCalls(req, req.shape.tools, random);

  let pieces: string[];
  let finish: PlannedFinish = 'stop';
  let stopSequence: string | null = null;
  if (req.shape.kind === 'json') {
    const label = simulatedLabel(req.model);
    const value =
      req.shape.schema === undefined
        ? { simulated: label, answer: simulatedWords(10, random) }
        : valueFromSchema(req.shape.schema, random, label);
    pieces = [...tokenPieces(JSON.stringify(value))];
  } else {
    const wanted = wantedLength(b, req, random);
    const count = req.limit !== undefined ? Math.min(wanted, req.limit) : wanted;
    const cut = cutAtStop(simulatedTextPieces(req.model, count, random), req.stop);
    pieces = cut.pieces;
    stopSequence = cut.stop;
    if (!stopSequence && req.limit !== undefined && wanted > req.limit) finish = 'length';
  }
  if (req.limit !== undefined && pieces.length > req.limit) {
    pieces = pieces.slice(0, req.limit);
    finish = 'length';
  }
  if (req.contentFilter) {
    pieces = pieces.slice(0, Math.max(1, Math.floor(pieces.length / 2)));
    finish = 'content_filter';
  }
  return {
    steps: pieces.map((text) => ({ kind: 'text', text })),
    text: pieces.join(''),
    toolCalls: [],
    finish,
    stopSequence,
    completionTokens: pieces.length,
  };
}

function planToolCalls(req: PlanRequest, tools: ToolSpec[], random: () => number): PlannedChoice {
  const steps: OutputStep[] = [];
  const toolCalls: PlannedToolCall[] = [];
  tools.forEach((tool, call) => {
    const id = `${req.toolIdPrefix}${randomAlnum(24)}`;
    const args = JSON.stringify(valueFromSchema(tool.schema, random));
    toolCalls.push({ id, name: tool.name, arguments: args });
    steps.push({ kind: 'tool_start', call, id, name: tool.name });
    for (const text of tokenPieces(args)) steps.push({ kind: 'tool_args', call, text });
  });
  return {
    steps,
    text: '',
    toolCalls,
    finish: 'tool_calls',
    stopSequence: null,
    completionTokens: steps.length,
  };
}
