/** Where budget and limit events are logged; the server passes its structured logger. */
export interface CostLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: CostLogger = { warn: () => {} };
