import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DENSE_COUNT, DENSE_FEATURE_NAMES, FeatureBuffer, type FeatureConfig } from './request-features.js';

export const ROUTER_MODEL_FORMAT = 'switchyard-complexity-router';
export const ROUTER_MODEL_VERSION = 2;

/** How the training label was built from the strong and weak quality of each example. */
export type RouterTarget = 'binary' | 'soft';

export interface RouterMetadata {
  /** What the model was trained on, in words: sources, model pair, sizes. */
  trainingData: string;
  trainedAt: string;
  examples: number;
  target: RouterTarget;
  epochs: number;
  l2: number;
  seed: number;
  strongModel?: string;
  weakModel?: string;
  /** How the hyper-parameters were chosen, and the inner cross-validation figures behind the choice. */
  selection?: string;
}

/** `router.json` as written to disk. Hashed weights are little-endian float32, base64-encoded. */
export const routerModelJsonSchema = z.object({
  format: z.literal(ROUTER_MODEL_FORMAT),
  version: z.literal(ROUTER_MODEL_VERSION, {
    error: `version must be ${ROUTER_MODEL_VERSION}: this router file comes from another release; retrain it with switchyard router train`,
  }),
  features: z.object({
    hashBits: z.number().int().min(4).max(22),
    wordBigrams: z.boolean(),
    charNgram: z.union([z.literal(0), z.literal(3), z.literal(4)]),
    headChars: z.number().int().min(16),
    tailChars: z.number().int().min(0),
    /** Absent in files written before earlier user turns were read: those read the last turn alone. */
    contextChars: z.number().int().min(0).default(0),
    lexicalScale: z.number().min(0),
    cueEncoding: z.enum(['count', 'presence']),
    /** The dense features the weights below belong to, in their order: any of `DENSE_FEATURE_NAMES`. */
    dense: z.array(z.string()),
  }),
  bias: z.number(),
  dense: z.object({
    mean: z.array(z.number()),
    std: z.array(z.number()),
    /** Weights for open requests. */
    weights: z.array(z.number()),
    /** Weights for multiple-choice requests (lettered options), whose cues differ from open ones. */
    choiceWeights: z.array(z.number()),
  }),
  hashed: z.object({ encoding: z.literal('f32le-base64'), weights: z.string() }),
  calibration: z.object({
    /**
     * Raw logits of the reference requests at quantiles 0, 1/n, ..., 1 (ascending): the score maps a
     * logit to its position among them, so scores spread evenly over [0, 1] on the reference mix.
     */
    logitKnots: z.array(z.number()).min(2),
    /** Scores of the training requests at quantiles 0, 1/n, ..., 1 (ascending). */
    scoreQuantiles: z.array(z.number()).min(2),
  }),
  metadata: z.object({
    trainingData: z.string(),
    trainedAt: z.string(),
    examples: z.number().int(),
    target: z.enum(['binary', 'soft']),
    epochs: z.number(),
    l2: z.number(),
    seed: z.number(),
    strongModel: z.string().optional(),
    weakModel: z.string().optional(),
    selection: z.string().optional(),
  }),
});

export type RouterModelJson = z.infer<typeof routerModelJsonSchema>;

/** A loaded router: weights unpacked into typed arrays, scratch space for one scan at a time. */
export interface RouterModel {
  readonly features: Readonly<FeatureConfig>;
  /** The dense features the model reads, by name... */
  readonly denseNames: readonly string[];
  /** ...and by their position in the extracted feature buffer. */
  readonly denseIndex: Int32Array;
  readonly bias: number;
  /** Dense weights for open requests, already divided by the feature's standard deviation. */
  readonly denseWeights: Float64Array;
  /** The same for multiple-choice requests. */
  readonly choiceDenseWeights: Float64Array;
  readonly denseMean: Float64Array;
  readonly denseStd: Float64Array;
  readonly hashedWeights: Float32Array;
  /** Ascending raw logits at evenly spaced quantiles of the reference requests. */
  readonly logitKnots: Float64Array;
  readonly scoreQuantiles: readonly number[];
  readonly metadata: Readonly<RouterMetadata>;
  /** Reused by every `scoreRequest` call: scoring is synchronous, so one buffer per model suffices. */
  readonly scratch: FeatureBuffer;
}

export class RouterModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouterModelError';
  }
}

export function encodeWeights(weights: Float32Array): string {
  const bytes = Buffer.alloc(weights.length * 4);
  for (let i = 0; i < weights.length; i++) bytes.writeFloatLE(weights[i], i * 4);
  return bytes.toString('base64');
}

function decodeWeights(base64: string, expected: number): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== expected * 4)
    throw new RouterModelError(
      `hashed.weights holds ${bytes.length / 4} weights; features.hashBits needs ${expected}`,
    );
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Builds the runtime model from its validated JSON form. */
export function routerModelFromJson(json: RouterModelJson): RouterModel {
  const names = json.features.dense;
  // Weights are matched to features by name, so a release that adds features still reads older files.
  const denseIndex = Int32Array.from(names, (name) => DENSE_FEATURE_NAMES.indexOf(name));
  const unknown = names.filter((_, i) => denseIndex[i] < 0);
  if (unknown.length > 0 || new Set(names).size !== names.length || names.length > DENSE_COUNT)
    throw new RouterModelError(
      `features.dense must list distinct features of this version (${DENSE_FEATURE_NAMES.join(', ')})` +
        `${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}; retrain the router`,
    );
  for (const key of ['mean', 'std', 'weights', 'choiceWeights'] as const)
    if (json.dense[key].length !== names.length)
      throw new RouterModelError(`dense.${key} must hold ${names.length} numbers, one per features.dense`);
  const knots = json.calibration.logitKnots;
  for (let i = 1; i < knots.length; i++)
    if (!(knots[i] >= knots[i - 1]))
      throw new RouterModelError('calibration.logitKnots must be ascending numbers');
  const features: FeatureConfig = {
    hashBits: json.features.hashBits,
    wordBigrams: json.features.wordBigrams,
    charNgram: json.features.charNgram,
    headChars: json.features.headChars,
    tailChars: json.features.tailChars,
    contextChars: json.features.contextChars,
    lexicalScale: json.features.lexicalScale,
    cueEncoding: json.features.cueEncoding,
  };
  // A near-zero deviation means the feature never varied in training; dividing by it would turn
  // the first request where it does vary into an extreme score.
  const std = Float64Array.from(json.dense.std, (s, i) =>
    s > 1e-6 * Math.max(1, Math.abs(json.dense.mean[i])) ? s : 1,
  );
  return Object.freeze({
    features: Object.freeze(features),
    denseNames: Object.freeze([...names]),
    denseIndex,
    bias: json.bias,
    denseWeights: Float64Array.from(json.dense.weights, (w, i) => w / std[i]),
    choiceDenseWeights: Float64Array.from(json.dense.choiceWeights, (w, i) => w / std[i]),
    denseMean: Float64Array.from(json.dense.mean),
    denseStd: std,
    hashedWeights: decodeWeights(json.hashed.weights, 1 << features.hashBits),
    logitKnots: Float64Array.from(json.calibration.logitKnots),
    scoreQuantiles: Object.freeze([...json.calibration.scoreQuantiles]),
    metadata: Object.freeze({ ...json.metadata }),
    scratch: new FeatureBuffer(features),
  });
}

/** Loads a router from a `router.json` path or from its parsed JSON. */
export function loadRouterModel(source: string | unknown): RouterModel {
  let raw: unknown = source;
  const where = typeof source === 'string' ? source : 'router model';
  if (typeof source === 'string') {
    try {
      raw = JSON.parse(readFileSync(source, 'utf8'));
    } catch (err) {
      throw new RouterModelError(`cannot read router model ${source}: ${(err as Error).message}`);
    }
  }
  const parsed = routerModelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RouterModelError(`${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return routerModelFromJson(parsed.data);
}

/** The JSON form of a loaded model, for writing `router.json`. */
export function routerModelToJson(model: RouterModel): RouterModelJson {
  const weights = Array.from(model.denseWeights, (w, i) => w * model.denseStd[i]);
  const choiceWeights = Array.from(model.choiceDenseWeights, (w, i) => w * model.denseStd[i]);
  return {
    format: ROUTER_MODEL_FORMAT,
    version: ROUTER_MODEL_VERSION,
    features: { ...model.features, dense: [...model.denseNames] },
    bias: model.bias,
    dense: { mean: Array.from(model.denseMean), std: Array.from(model.denseStd), weights, choiceWeights },
    hashed: { encoding: 'f32le-base64', weights: encodeWeights(model.hashedWeights) },
    calibration: { logitKnots: Array.from(model.logitKnots), scoreQuantiles: [...model.scoreQuantiles] },
    metadata: { ...model.metadata },
  };
}
