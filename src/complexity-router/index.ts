export { defaultRouterModel, DEFAULT_ROUTER_MODEL_PATH } from './default-router-model.js';
export {
  DataLineError,
  parseLabelledJsonl,
  parseLabelledLine,
  parseRequestLine,
  requestLength,
} from './labelled-data.js';
export {
  DEFAULT_FEATURE_CONFIG,
  DENSE_FEATURE_GROUPS,
  DENSE_FEATURE_NAMES,
  extractFeatures,
  FeatureBuffer,
  type FeatureConfig,
  type ScanParts,
} from './request-features.js';
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
  dataFileOf,
  DEFAULT_ROUTING_DATA_DIR,
  implausibleLabelGroups,
  MIN_PLAUSIBLE_STRONG_ACCURACY,
  shippableTrainingRows,
  trainingRows,
  type TrainingUse,
  loadMmluExamples,
  loadRouterBenchExamples,
  loadRoutingBenchmarks,
  loadRoutingFile,
  MMLU_FILE,
  ROUTERBENCH_FILE,
  ROUTERBENCH_STRONG,
  ROUTERBENCH_WEAK,
  ROUTING_DATA_FILES,
  shortModelName,
  type BenchmarkExample,
  type RoutingDataFile,
} from './routing-datasets.js';
export { calibrateLogit, scoreRequest, scoreScratch } from './score-request.js';
export {
  buildFeatureMatrix,
  DEFAULT_TRAIN_OPTIONS,
  exampleWeights,
  trainRouter,
  trainRouterOnMatrix,
  type FeatureMatrix,
  type LabelledExample,
  type TrainOptions,
} from './train-router.js';
export {
  compareWithBaselines,
  formatComparison,
  verdictOf,
  type CompareOptions,
  type RouterComparison,
} from './compare-with-baselines.js';
export { calibrationTable, formatCalibrationTable, type CalibrationBand } from './calibration-table.js';
export { DENSE_FEATURE_SIGNS } from './feature-priors.js';
export {
  leaveOneBenchmarkOut,
  type HeldOutBenchmark,
  type HeldOutSource,
  type LoboOptions,
} from './leave-one-benchmark-out.js';
export {
  DEFAULT_CANDIDATES,
  describeSelection,
  logitsOnMatrix,
  meanApgrBySource,
  selectByInnerCv,
  trainSelectedRouter,
  type CandidateScore,
  type RouterCandidate,
  type Selection,
} from './select-router.js';
export { stableFold } from './stable-fold.js';
