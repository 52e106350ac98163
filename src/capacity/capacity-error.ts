/** Why a capacity plan cannot be made from its inputs; commands turn it into a non-zero exit. */
export type CapacityErrorCode =
  | 'unknown_model'
  | 'unknown_gpu'
  | 'context_exceeds_window'
  | 'request_exceeds_context'
  | 'invalid_gpu_count'
  | 'bench_model_mismatch';

export class CapacityError extends Error {
  constructor(
    readonly code: CapacityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CapacityError';
  }
}
