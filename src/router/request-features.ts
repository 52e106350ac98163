import type { ChatMessage, ContentPart } from '../spec/chat.js';
import {
  CUE_CHAT,
  CUE_CODE,
  CUE_CONSTRAINT,
  CUE_CREATIVE,
  CUE_MATH,
  CUE_REASONING,
  cueMaskOf,
} from './cue-words.js';
import { combineHashes, finalizeHash, FNV_OFFSET, fnvStep } from './feature-hash.js';
import type { RouterInput, RouterRequest } from './router-input.js';

/** How text becomes features. Stored in the model so scoring reproduces training exactly. */
export interface FeatureConfig {
  /** The hashed lexical features share 2^hashBits weights. */
  hashBits: number;
  wordBigrams: boolean;
  /** Length of hashed character n-grams; 0 turns them off. */
  charNgram: 0 | 3 | 4;
  /** Lexical features read at most this many characters from the start of the last user turn... */
  headChars: number;
  /** ...and this many from its end, so a huge prompt costs no more than a typical one. */
  tailChars: number;
  /**
   * Scale of the hashed features against the standardised dense ones. The single L2 penalty then
   * regularises the many sparse weights more or less than the few dense ones.
   */
  lexicalScale: number;
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  hashBits: 16,
  wordBigrams: true,
  charNgram: 0,
  headChars: 1024,
  tailChars: 512,
  lexicalScale: 1,
});

/** Dense features, in the order of their weights. Changing this list is a model format change. */
export const DENSE_FEATURE_NAMES = [
  'log_total_chars',
  'log_ask_chars',
  'log_ask_words',
  'log_messages',
  'log_assistant_turns',
  'has_system',
  'log_system_chars',
  'code_fences',
  'code_punctuation_ratio',
  'code_cue_words',
  'digit_ratio',
  'math_operator_ratio',
  'latex_markers',
  'math_cue_words',
  'reasoning_cue_words',
  'constraint_cue_words',
  'creative_cue_words',
  'chat_cue_words',
  'log_question_marks',
  'log_lines',
  'choice_options',
  'log_tools',
  'tool_choice_required',
  'json_output',
  'non_ascii_ratio',
  'cjk_ratio',
  'cyrillic_ratio',
  'other_script_ratio',
  'log_max_tokens',
  'has_max_tokens',
  'mean_word_length',
  'uppercase_ratio',
] as const;

export const DENSE_COUNT = DENSE_FEATURE_NAMES.length;

const CHAR_SALT = 0x2f6b1a3d;
const UNIGRAM_SALT = 0x51ed270b;

/** Reusable output of `extractFeatures`: one per scorer, so scoring allocates nothing. */
export class FeatureBuffer {
  readonly dense = new Float64Array(DENSE_COUNT);
  indices: Int32Array;
  values: Float32Array;
  count = 0;

  constructor(config: FeatureConfig) {
    // At most one character n-gram, one unigram and one bigram per scanned character.
    const capacity = 3 * (config.headChars + config.tailChars) + 16;
    this.indices = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }
}

/** Running counts of one scan; a single object reused across scans. */
class ScanState {
  mask = 0;
  bigrams = true;
  charN = 0;
  c1 = 0;
  c2 = 0;
  c3 = 0;
  seen = 0;
  wordHash = FNV_OFFSET;
  wordLen = 0;
  prevWord = 0;
  hasPrevWord = false;
  words = 0;
  wordChars = 0;
  wordFeatures = 0;
  charFeatures = 0;
  scanned = 0;
  digits = 0;
  upper = 0;
  nonAscii = 0;
  cjk = 0;
  cyrillic = 0;
  otherScript = 0;
  codePunct = 0;
  mathOps = 0;
  latex = 0;
  questionMarks = 0;
  lines = 0;
  backticks = 0;
  fences = 0;
  choiceState = 1;
  choices = 0;
  cueCode = 0;
  cueMath = 0;
  cueReasoning = 0;
  cueConstraint = 0;
  cueCreative = 0;
  cueChat = 0;

  reset(config: FeatureConfig): void {
    this.mask = (1 << config.hashBits) - 1;
    this.bigrams = config.wordBigrams;
    this.charN = config.charNgram;
    this.breakRun();
    this.words = this.wordChars = this.wordFeatures = this.charFeatures = this.scanned = 0;
    this.digits = this.upper = this.nonAscii = this.cjk = this.cyrillic = this.otherScript = 0;
    this.codePunct = this.mathOps = this.latex = this.questionMarks = this.lines = 0;
    this.backticks = this.fences = this.choices = 0;
    this.cueCode = this.cueMath = this.cueReasoning = this.cueConstraint = this.cueCreative = 0;
    this.cueChat = 0;
  }

  /** Forgets the previous characters and word, at a gap between scanned spans. */
  breakRun(): void {
    this.c1 = this.c2 = this.c3 = 0;
    this.seen = 0;
    this.wordHash = FNV_OFFSET;
    this.wordLen = 0;
    this.hasPrevWord = false;
    this.choiceState = 1;
  }
}

const state = new ScanState();

/** Records a hashed feature; `family` (0 word, 1 character) picks its norm once counts are known. */
function emit(buf: FeatureBuffer, hash: number, mask: number, family: number): void {
  buf.indices[buf.count] = finalizeHash(hash) & mask;
  buf.values[buf.count++] = family;
}

function endWord(buf: FeatureBuffer, st: ScanState, wh: number, wordLen: number): void {
  st.words++;
  st.wordChars += wordLen;
  emit(buf, wh ^ UNIGRAM_SALT, st.mask, 0);
  st.wordFeatures++;
  if (st.bigrams && st.hasPrevWord) {
    emit(buf, combineHashes(st.prevWord, wh), st.mask, 0);
    st.wordFeatures++;
  }
  const cue = cueMaskOf(wh);
  if (cue !== 0) {
    if (cue & CUE_CODE) st.cueCode++;
    if (cue & CUE_MATH) st.cueMath++;
    if (cue & CUE_REASONING) st.cueReasoning++;
    if (cue & CUE_CONSTRAINT) st.cueConstraint++;
    if (cue & CUE_CREATIVE) st.cueCreative++;
    if (cue & CUE_CHAT) st.cueChat++;
  }
  st.prevWord = wh;
  st.hasPrevWord = true;
}

function pushChar(buf: FeatureBuffer, st: ScanState, code: number): void {
  if (st.charN === 0) return;
  // Runs of whitespace read as one space so layout does not change the n-grams.
  if (code === 32 && st.c3 === 32) return;
  st.seen++;
  if (st.seen >= st.charN) {
    let h = fnvStep(FNV_OFFSET ^ CHAR_SALT, st.charN === 4 ? st.c1 : 0);
    h = fnvStep(fnvStep(fnvStep(h, st.c2), st.c3), code);
    emit(buf, h, st.mask, 1);
    st.charFeatures++;
  }
  st.c1 = st.c2;
  st.c2 = st.c3;
  st.c3 = code;
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/** ASCII character classes: 0 separator, 1 lower-case letter or underscore, 2 upper-case, 3 digit. */
const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 97; c <= 122; c++) t[c] = 1;
  t[95] = 1;
  for (let c = 65; c <= 90; c++) t[c] = 2;
  for (let c = 48; c <= 57; c++) t[c] = 3;
  return t;
})();

function scanSpan(buf: FeatureBuffer, st: ScanState, text: string, from: number, to: number): void {
  st.scanned += to - from;
  // The per-character state lives in locals; the shared state object is touched once per word.
  let wh = st.wordHash;
  let wordLen = st.wordLen;
  let choice = st.choiceState;
  let ticks = st.backticks;
  const charN = st.charN;
  for (let i = from; i < to; i++) {
    let code = text.charCodeAt(i);
    if (code < 128) {
      const cls = ASCII_CLASS[code];
      if (cls !== 0) {
        // Most characters are letters inside a word: this path does as little as it can.
        if (choice !== 0) choice = choice === 1 && cls === 2 && code <= 69 ? 2 : 0;
        ticks = 0;
        if (cls === 2) {
          st.upper++;
          code |= 32;
        } else if (cls === 3) {
          st.digits++;
          // Every digit hashes as 0: numbers share features whatever their value.
          code = 48;
        }
        wh = fnvStep(wh, code);
        wordLen++;
        if (charN !== 0) pushChar(buf, st, code);
        continue;
      }
      // Multiple-choice options: a line that starts with "A." / "B)" and so on.
      if (choice === 2 && (code === 46 || code === 41)) st.choices++;
      choice = code === 10 || (code === 32 && choice === 1) ? 1 : 0;
      if (code === 96) {
        if (++ticks === 3) st.fences++;
      } else ticks = 0;
      if (wordLen > 0) {
        endWord(buf, st, wh, wordLen);
        wh = FNV_OFFSET;
        wordLen = 0;
      }
      switch (code) {
        case 10:
          st.lines++;
          break;
        case 63:
          st.questionMarks++;
          break;
        case 123:
        case 125:
        case 59:
        case 40:
        case 41:
        case 91:
        case 93:
        case 60:
        case 62:
          st.codePunct++;
          break;
        case 43:
        case 45:
        case 42:
        case 47:
        case 94:
        case 61:
        case 37:
          st.mathOps++;
          break;
        case 92:
        case 36:
          st.latex++;
          break;
      }
      if (charN !== 0) pushChar(buf, st, code === 10 || code === 9 || code === 13 ? 32 : code);
      continue;
    }
    choice = 0;
    ticks = 0;
    st.nonAscii++;
    const cjk = isCjk(code);
    if (cjk || (code >= 0x2000 && code <= 0x2bff)) {
      if (wordLen > 0) {
        endWord(buf, st, wh, wordLen);
        wh = FNV_OFFSET;
        wordLen = 0;
      }
    }
    if (cjk) {
      // Scripts written without spaces: each character is a word of its own.
      st.cjk++;
      endWord(buf, st, fnvStep(FNV_OFFSET, code), 1);
      pushChar(buf, st, code);
      continue;
    }
    if (code >= 0x2000 && code <= 0x2bff) {
      // Punctuation, arrows and mathematical symbols.
      if (code >= 0x2200 && code <= 0x22ff) st.mathOps++;
      pushChar(buf, st, code);
      continue;
    }
    if (code >= 0x0400 && code <= 0x04ff) st.cyrillic++;
    else if (code >= 0x0370 && code < 0x3040) st.otherScript++;
    wh = fnvStep(wh, code);
    wordLen++;
    pushChar(buf, st, code);
  }
  if (wordLen > 0) endWord(buf, st, wh, wordLen);
  st.wordHash = FNV_OFFSET;
  st.wordLen = 0;
  st.choiceState = choice;
  st.backticks = ticks;
}

function scanText(
  buf: FeatureBuffer,
  st: ScanState,
  text: string,
  config: FeatureConfig,
  budget: number,
): number {
  const length = text.length;
  if (budget <= 0) return 0;
  const tail = Math.min(config.tailChars, budget);
  if (length <= budget) {
    scanSpan(buf, st, text, 0, length);
    return length;
  }
  const head = budget - tail;
  scanSpan(buf, st, text, 0, head);
  st.breakRun();
  scanSpan(buf, st, text, length - tail, length);
  return budget;
}

function contentLength(content: ChatMessage['content']): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content as ContentPart[])
    if (part.type === 'text' && typeof part.text === 'string') n += part.text.length;
  return n;
}

function log1p(x: number): number {
  return Math.log(1 + x);
}

/**
 * Reads a request into `buf`: raw dense features (standardised later with the model's statistics)
 * and hashed lexical feature indices with their values. Lexical features come from the last user
 * turn, the request being routed; lengths and structure come from the whole conversation.
 */
export function extractFeatures(input: RouterInput, config: FeatureConfig, buf: FeatureBuffer): void {
  const st = state;
  st.reset(config);
  buf.count = 0;
  let messages: readonly ChatMessage[] | undefined;
  let request: RouterRequest | undefined;
  let ask: ChatMessage['content'] = '';
  let totalChars = 0;
  let systemChars = 0;
  let hasSystem = 0;
  let assistantTurns = 0;
  let messageCount = 1;
  if (typeof input === 'string') {
    ask = input;
    totalChars = input.length;
  } else {
    messages = Array.isArray(input) ? (input as readonly ChatMessage[]) : (input as RouterRequest).messages;
    if (!Array.isArray(input)) request = input as RouterRequest;
    messageCount = messages.length;
    let askIndex = -1;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      const n = contentLength(m.content);
      totalChars += n;
      if (m.role === 'system' || m.role === 'developer') {
        hasSystem = 1;
        systemChars += n;
      } else if (m.role === 'assistant') assistantTurns++;
      else if (m.role === 'user') askIndex = i;
    }
    if (askIndex < 0) askIndex = messages.length - 1;
    if (askIndex >= 0) ask = messages[askIndex].content;
  }

  let askChars = 0;
  const budget = config.headChars + config.tailChars;
  if (typeof ask === 'string') askChars = scanText(buf, st, ask, config, budget);
  else if (Array.isArray(ask)) {
    let left = budget;
    for (const part of ask as ContentPart[]) {
      if (part.type !== 'text' || typeof part.text !== 'string') continue;
      const used = scanText(buf, st, part.text, config, left);
      st.breakRun();
      left -= used;
      askChars += part.text.length;
    }
  }
  if (typeof ask === 'string') askChars = ask.length;

  // Each family sums to unit length, so a long prompt does not drown the dense features.
  const wordNorm = st.wordFeatures > 0 ? config.lexicalScale / Math.sqrt(st.wordFeatures) : 0;
  const charNorm = st.charFeatures > 0 ? config.lexicalScale / Math.sqrt(st.charFeatures) : 0;
  for (let i = 0; i < buf.count; i++) buf.values[i] = buf.values[i] === 0 ? wordNorm : charNorm;

  const scanned = Math.max(1, st.scanned);
  const d = buf.dense;
  const tools = request?.tools?.length ?? 0;
  const toolChoice = request?.tool_choice;
  const format = request?.response_format?.type;
  const maxTokens = request?.max_completion_tokens ?? request?.max_tokens ?? 0;
  d[0] = log1p(totalChars);
  d[1] = log1p(askChars);
  d[2] = log1p(st.words);
  d[3] = log1p(messageCount);
  d[4] = log1p(assistantTurns);
  d[5] = hasSystem;
  d[6] = log1p(systemChars);
  d[7] = Math.min(st.fences, 8);
  d[8] = st.codePunct / scanned;
  d[9] = log1p(st.cueCode);
  d[10] = st.digits / scanned;
  d[11] = st.mathOps / scanned;
  d[12] = log1p(st.latex);
  d[13] = log1p(st.cueMath);
  d[14] = log1p(st.cueReasoning);
  d[15] = log1p(st.cueConstraint);
  d[16] = log1p(st.cueCreative);
  d[17] = log1p(st.cueChat);
  d[18] = log1p(st.questionMarks);
  d[19] = log1p(st.lines);
  d[20] = log1p(st.choices);
  d[21] = log1p(tools);
  d[22] = toolChoice === 'required' || (typeof toolChoice === 'object' && toolChoice !== null) ? 1 : 0;
  d[23] = format === 'json_object' || format === 'json_schema' ? 1 : 0;
  d[24] = st.nonAscii / scanned;
  d[25] = st.cjk / scanned;
  d[26] = st.cyrillic / scanned;
  d[27] = st.otherScript / scanned;
  d[28] = log1p(typeof maxTokens === 'number' && maxTokens > 0 ? maxTokens : 0);
  d[29] = typeof maxTokens === 'number' && maxTokens > 0 ? 1 : 0;
  d[30] = st.words > 0 ? st.wordChars / st.words : 0;
  d[31] = st.upper / scanned;
}
