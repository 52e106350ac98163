export { defaultRouterModel, DEFAULT_ROUTER_MODEL_PATH } from './default-router-model.js';
export {
  DataLineError,
  parseLabelledJsonl,
  parseLabelledLine,
  parseRequestLine,
  requestLength,
} from './labelled-data.js';
export { DEFAULT_FEATURE_CONFIG, DENSE_FEATURE_NAMES, type FeatureConfig } from './request-features.js';
export type { RouterInput, RouterRequest } from './router-input.js';
export {
  loadRouterModel,
  routerModelToJson,
  RouterModelError,
  type RouterMetadata,
  type RouterModel,
  type RouterModelJson,
  type RouterTarget,
} from './router-model.js';
export {
  strongShareForTargetCost,
  thresholdForStrongShare,
  thresholdForTargetCost,
  type TargetCost,
} from './router-threshold.js';
export {
  apgrOf,
  bootstrapApgrDifference,
  cptOf,
  DEFAULT_CURVE_POINTS,
  evaluateRouting,
  routingCurve,
  routingFigures,
  type CurvePoint,
  type Interval,
  type RoutingEvaluation,
  type RoutingFigures,
  type RoutingTable,
} from './routing-metrics.js';
export {
  DEFAULT_ROUTING_DATA_DIR,
  loadMmluExamples,
  loadRouterBenchExamples,
  MMLU_FILE,
  ROUTERBENCH_FILE,
  type BenchmarkExample,
} from './routing-datasets.js';
export { scoreRequest } from './score-request.js';
export { seededRandom } from './seeded-random.js';
export {
  DEFAULT_TRAIN_OPTIONS,
  trainRouter,
  type LabelledExample,
  type TrainOptions,
} from './train-router.js';
export {
  compareWithBaselines,
  formatComparison,
  type CompareOptions,
  type RouterComparison,
} from './compare-with-baselines.js';
