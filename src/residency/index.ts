export { detectSensitive, sensitiveKinds } from './detect-sensitive.js';
export type { SensitiveKind, SensitiveSpan } from './detect-sensitive.js';
export { createRedactor, redact, restore } from './redact-text.js';
export type { RedactionMap, Redactor } from './redact-text.js';
export { createStreamRestorer } from './stream-restorer.js';
export type { StreamRestorer } from './stream-restorer.js';
export {
  chatRequestTexts,
  detectInChatRequest,
  redactChatRequest,
  escapeForJsonString,
} from './redact-chat-request.js';
export { restoreChatCompletion, createChatChunkRestorer } from './restore-chat-response.js';
export { resolveDataClass, DATA_CLASS_HEADER } from './resolve-data-class.js';
