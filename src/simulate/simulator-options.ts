import { z } from 'zod';

/** Ways the simulator can misbehave, chosen by `errorRate` or per request by `x-simulate-fault`. */
export const FAULT_MODES = [
  'reset',
  'http500',
  'http429',
  'hang',
  'slowFirstToken',
  'dieMidStream',
  'http400_context_length',
  'content_filter',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const PROFILES = ['vllm', 'openai', 'tgi', 'ollama'] as const;
export type ProfileName = (typeof PROFILES)[number];

const outputTokensSchema = z.union([
  z.number().int().nonnegative(),
  z.literal('max_tokens'),
  z.strictObject({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() }),
]);

/** Everything that may change while the simulator runs (`setBehaviour`). */
export const simulatorBehaviourSchema = z.strictObject({
  protocol: z
    .enum(['openai', 'anthropic'])
    .default('openai')
    .describe('Wire protocol: OpenAI-compatible endpoints or the Anthropic Messages API.'),
  profile: z
    .enum(PROFILES)
    .default('vllm')
    .describe('Which server to pose as: ids, headers, extra endpoints and quirks.'),
  model: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .default('simulated-model')
    .describe('Model name or names listed by GET /v1/models.'),
  rejectUnknownModels: z
    .boolean()
    .default(false)
    .describe('Answer 404 model_not_found for a model not in `model` (otherwise any name is served).'),
  apiKey: z.string().optional().describe('When set, requests must carry this key (Bearer or x-api-key).'),
  ttftMs: z.number().nonnegative().default(0).describe('Time to first token at light load.'),
  tokensPerSecond: z
    .number()
    .nonnegative()
    .default(0)
    .describe('Decode speed per request at light load; 0 emits everything at once.'),
  outputTokens: outputTokensSchema
    .default(64)
    .describe(
      "Tokens per answer: a number, { min, max }, or 'max_tokens' to always fill the request's limit.",
    ),
  capacity: z
    .number()
    .int()
    .positive()
    .default(64)
    .describe('Requests served at full speed at once; above it each running request slows down.'),
  maxConcurrent: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'Requests running at once (the KV cache is full beyond it); later ones queue. Default 2 x capacity.',
    ),
  jitter: z.number().min(0).max(1).default(0).describe('Random spread of every delay, as a fraction.'),
  contextWindow: z
    .number()
    .int()
    .positive()
    .default(131_072)
    .describe('Prompt plus output limit; larger requests get a context-length error.'),
  errorRate: z.number().min(0).max(1).default(0).describe('Share of requests that get `errorMode`.'),
  errorMode: z.enum(FAULT_MODES).default('http500'),
  slowFirstTokenMs: z
    .number()
    .nonnegative()
    .default(10_000)
    .describe('Extra delay before the first token under the slowFirstToken fault.'),
  retryAfterSeconds: z.number().int().nonnegative().default(1).describe('Retry-After sent with 429s.'),
  omitStreamUsage: z
    .boolean()
    .default(false)
    .describe('Ignore stream_options.include_usage, as some upstreams do.'),
  embeddingDimensions: z.number().int().positive().default(1536),
  healthy: z.boolean().default(true).describe('When false, /health answers 503.'),
  keepRequests: z
    .number()
    .int()
    .nonnegative()
    .default(100)
    .describe('How many recent requests stats.recent keeps.'),
});

export const simulatorOptionsSchema = simulatorBehaviourSchema.extend({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0).describe('0 picks a free port.'),
});

export type SimulatorBehaviourInput = z.input<typeof simulatorBehaviourSchema>;
export type SimulatorOptionsInput = z.input<typeof simulatorOptionsSchema>;

/** Behaviour after validation, with derived values resolved. Frozen; replaced whole on change. */
export interface SimulatorBehaviour extends Readonly<
  Omit<z.output<typeof simulatorBehaviourSchema>, 'model' | 'maxConcurrent'>
> {
  readonly models: readonly string[];
  readonly maxConcurrent: number;
}

export class SimulatorOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorOptionsError';
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'options'}: ${issue.message}`)
    .join('; ');
}

export function resolveBehaviour(input: SimulatorBehaviourInput): SimulatorBehaviour {
  const parsed = simulatorBehaviourSchema.safeParse(input);
  if (!parsed.success)
    throw new SimulatorOptionsError(`invalid simulator options: ${describeIssues(parsed.error)}`);
  const { model, maxConcurrent, ...rest } = parsed.data;
  const out = rest.outputTokens;
  if (typeof out === 'object' && out.min > out.max)
    throw new SimulatorOptionsError(
      'invalid simulator options: outputTokens.min must not exceed outputTokens.max',
    );
  return Object.freeze({
    ...rest,
    models: Object.freeze(typeof model === 'string' ? [model] : [...model]),
    maxConcurrent: Math.max(maxConcurrent ?? rest.capacity * 2, 1),
  });
}

export function resolveListen(input: SimulatorOptionsInput): { host: string; port: number } {
  const parsed = simulatorOptionsSchema.pick({ host: true, port: true }).safeParse(input);
  if (!parsed.success)
    throw new SimulatorOptionsError(`invalid simulator options: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
