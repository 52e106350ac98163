import { CapacityGate } from './capacity-gate.js';
import { PROFILE_TABLE, type ServerProfile } from './profiles.js';
import { ServerMetrics } from './server-metrics.js';
import type { SimulatorBehaviour } from './simulator-options.js';
import { StatsCollector } from './simulator-stats.js';

/** Everything requests share: current behaviour, the capacity gate, counters. */
export class SimulatorState {
  behaviour: SimulatorBehaviour;
  profile: ServerProfile;
  readonly gate: CapacityGate;
  readonly stats: StatsCollector;
  readonly metrics: ServerMetrics;
  /** Set while shutting down, so sockets closed by us are not counted as client aborts. */
  closing = false;

  constructor(behaviour: SimulatorBehaviour) {
    this.behaviour = behaviour;
    this.profile = PROFILE_TABLE[behaviour.profile];
    this.gate = new CapacityGate(behaviour.capacity, behaviour.maxConcurrent);
    this.stats = new StatsCollector(this.gate, behaviour.keepRequests);
    this.metrics = new ServerMetrics(this.gate, behaviour.models[0]);
  }

  setBehaviour(behaviour: SimulatorBehaviour): void {
    this.behaviour = behaviour;
    this.profile = PROFILE_TABLE[behaviour.profile];
    this.gate.resize(behaviour.capacity, behaviour.maxConcurrent);
    this.stats.setKeep(behaviour.keepRequests);
  }
}
