/**
 * A body that could not be read (malformed JSON, too large). Chat-shaped endpoints still record the
 * request, so the failure travels into the handler and is thrown where the body would be parsed.
 */
export class BodyError {
  constructor(readonly error: unknown) {}
}
