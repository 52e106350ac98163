export { startSimulator, type Simulator } from './start-simulator.js';
export {
  FAULT_MODES,
  PROFILES,
  SimulatorOptionsError,
  simulatorBehaviourSchema,
  simulatorOptionsSchema,
  type FaultMode,
  type ProfileName,
  type SimulatorBehaviour,
  type SimulatorBehaviourInput,
  type SimulatorOptionsInput,
} from './simulator-options.js';
export type { RecordedRequest, SimulatorStats } from './simulator-stats.js';
export { embeddingVector } from './openai/embeddings.js';
