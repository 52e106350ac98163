import type { ChatMessage, ContentPart } from '../spec/chat.js';
import {
  CUE_ADVICE,
  CUE_CHAT,
  CUE_CLASSIFICATION,
  CUE_CODE,
  CUE_CONSTRAINT,
  CUE_CREATIVE,
  CUE_EXTRACTION,
  CUE_FACTUAL,
  CUE_HOW,
  CUE_HOW_QUANTITY,
  CUE_LENGTH_UNIT,
  CUE_MATH,
  CUE_MULTI_STEP,
  CUE_QUANTITY,
  CUE_REASONING,
  CUE_REWRITE,
  cueMaskOf,
} from './cue-words.js';
import { fmix32, FNV_OFFSET, fnvStep } from '../hashing/fnv1a.js';
import { combineHashes } from './feature-hash.js';
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
   * In a conversation, the scan also reads this many characters from the start of the user turn
   * before the last one, where a follow-up ("now do it for n = 5", "make it shorter") left its task.
   * 0 reads the last user turn alone.
   */
  contextChars: number;
  /**
   * Scale of the hashed features against the standardised dense ones. The single L2 penalty then
   * regularises the many sparse weights more or less than the few dense ones. 0 turns hashed
   * features off, and the scan skips them.
   */
  lexicalScale: number;
  /**
   * How a cue-word family enters the model: `count` as log(1 + occurrences), `presence` as 0 or 1.
   * Counts grow with the length of the request, whose relation to the quality gap differs between
   * domains; presence does not.
   */
  cueEncoding: 'count' | 'presence';
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  hashBits: 16,
  wordBigrams: true,
  charNgram: 0,
  headChars: 1024,
  tailChars: 512,
  contextChars: 512,
  lexicalScale: 1,
  cueEncoding: 'count',
});

/**
 * Dense features, in the order of their weights, grouped by what they describe. Changing this list
 * is a model format change. Counts are log(1 + n); ratios are per scanned character.
 */
export const DENSE_FEATURE_GROUPS = {
  length: ['log_total_chars', 'log_ask_chars', 'log_ask_words', 'log_sentences', 'log_lines'],
  conversation: ['log_messages', 'log_assistant_turns', 'has_system', 'log_system_chars'],
  'tools and output': [
    'log_tools',
    'tool_choice_required',
    'json_output',
    'log_max_tokens',
    'has_max_tokens',
  ],
  code: ['code_fences', 'inline_code', 'code_punctuation_ratio', 'code_cue_words'],
  'numbers and math': [
    'digit_ratio',
    'log_numbers',
    'math_operator_ratio',
    'log_equals',
    'latex_markers',
    'log_money_and_percent',
    'math_cue_words',
    'quantity_cue_words',
    'quantity_questions',
    'word_problem_numbers',
  ],
  reasoning: ['reasoning_cue_words', 'multi_step_cue_words', 'log_question_marks'],
  constraints: ['constraint_cue_words', 'log_enumerated_items', 'length_cue_words', 'requested_length'],
  'task kind': [
    'creative_cue_words',
    'extraction_cue_words',
    'classification_cue_words',
    'rewrite_cue_words',
    'factual_cue_words',
    'chat_cue_words',
    'advice_cue_words',
    'choice_options',
  ],
  script: ['non_ascii_ratio', 'cjk_ratio', 'cyrillic_ratio', 'other_script_ratio'],
  style: ['mean_word_length'],
} as const;

export const DENSE_FEATURE_NAMES: readonly string[] = Object.values(DENSE_FEATURE_GROUPS).flat();

export const DENSE_COUNT = DENSE_FEATURE_NAMES.length;

const CHAR_SALT = 0x2f6b1a3d;
const UNIGRAM_SALT = 0x51ed270b;

/** Reusable output of `extractFeatures`: one per scorer, so scoring allocates nothing. */
export class FeatureBuffer {
  readonly dense = new Float64Array(DENSE_COUNT);
  /** The request lists lettered options ("A." / "B)"): it gets the model's multiple-choice weights. */
  multipleChoice = false;
  indices: Int32Array;
  values: Float32Array;
  count = 0;

  constructor(config: FeatureConfig) {
    // At most one character n-gram, one unigram and one bigram per scanned character.
    const capacity = 3 * (config.headChars + config.tailChars + config.contextChars) + 16;
    this.indices = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }
}

/**
 * Which parts of the scan run. Scoring always runs all of them; the bench turns parts off to
 * measure what each costs.
 */
export interface ScanParts {
  /** Look every word up in the cue-word table (task kind, constraints, math, reasoning). */
  cues: boolean;
  /** Emit hashed lexical features (only when the model has them). */
  lexical: boolean;
}

const ALL_PARTS: Readonly<ScanParts> = Object.freeze({ cues: true, lexical: true });

/** Line-start states for enumerated requirements ("1. ...", "- ..."). */
const LINE_START = 0;
const LINE_DIGITS = 1;
const LINE_BULLET = 2;
const LINE_BODY = 3;

/** Running counts of one scan; a single object reused across scans. */
class ScanState {
  mask = 0;
  lexical = true;
  cues = true;
  bigrams = true;
  charN = 0;
  c1 = 0;
  c2 = 0;
  c3 = 0;
  seen = 0;
  wordHash = FNV_OFFSET;
  wordLen = 0;
  wordDigits = 0;
  prevWord = 0;
  hasPrevWord = false;
  prevWasNumber = false;
  prevWasHow = false;
  words = 0;
  wordChars = 0;
  wordFeatures = 0;
  charFeatures = 0;
  scanned = 0;
  digits = 0;
  numbers = 0;
  nonAscii = 0;
  cjk = 0;
  cyrillic = 0;
  otherScript = 0;
  codePunct = 0;
  mathOps = 0;
  equals = 0;
  latex = 0;
  moneyPercent = 0;
  questionMarks = 0;
  sentences = 0;
  lines = 0;
  backticks = 0;
  fences = 0;
  inlineCode = 0;
  choiceState = 1;
  choices = 0;
  lineState = LINE_START;
  enumerated = 0;
  afterTerminal = false;
  afterDollar = false;
  requestedLength = 0;
  cueCode = 0;
  cueMath = 0;
  cueQuantity = 0;
  cueReasoning = 0;
  cueMultiStep = 0;
  cueConstraint = 0;
  cueLength = 0;
  cueCreative = 0;
  cueExtraction = 0;
  cueClassification = 0;
  cueRewrite = 0;
  cueFactual = 0;
  cueChat = 0;
  cueAdvice = 0;
  quantityQuestions = 0;

  reset(config: FeatureConfig, parts: Readonly<ScanParts>): void {
    this.mask = (1 << config.hashBits) - 1;
    this.lexical = parts.lexical && config.lexicalScale > 0;
    this.cues = parts.cues;
    this.bigrams = config.wordBigrams;
    this.charN = this.lexical ? config.charNgram : 0;
    this.breakRun();
    this.words = this.wordChars = this.wordFeatures = this.charFeatures = this.scanned = 0;
    this.digits = this.numbers = this.nonAscii = this.cjk = this.cyrillic = 0;
    this.otherScript = this.codePunct = this.mathOps = this.equals = this.latex = 0;
    this.moneyPercent = this.questionMarks = this.sentences = this.lines = 0;
    this.backticks = this.fences = this.inlineCode = this.choices = this.enumerated = 0;
    this.requestedLength = 0;
    this.cueCode = this.cueMath = this.cueQuantity = this.cueReasoning = this.cueMultiStep = 0;
    this.cueConstraint = this.cueLength = this.cueCreative = this.cueExtraction = 0;
    this.cueClassification = this.cueRewrite = this.cueFactual = this.cueChat = this.cueAdvice = 0;
    this.quantityQuestions = 0;
  }

  /** Forgets the previous characters and word, at a gap between scanned spans. */
  breakRun(): void {
    this.c1 = this.c2 = this.c3 = 0;
    this.seen = 0;
    this.wordHash = FNV_OFFSET;
    this.wordLen = 0;
    this.wordDigits = 0;
    this.hasPrevWord = false;
    this.prevWasNumber = false;
    this.prevWasHow = false;
    this.choiceState = 1;
    this.lineState = LINE_START;
    this.afterTerminal = false;
    this.afterDollar = false;
  }
}

const state = new ScanState();

/** Records a hashed feature; `family` (0 word, 1 character) picks its norm once counts are known. */
function emit(buf: FeatureBuffer, hash: number, mask: number, family: number): void {
  buf.indices[buf.count] = fmix32(hash) & mask;
  buf.values[buf.count++] = family;
}

function countCues(st: ScanState, cue: number): void {
  if (cue & CUE_CODE) st.cueCode++;
  if (cue & CUE_MATH) st.cueMath++;
  if (cue & CUE_QUANTITY) st.cueQuantity++;
  if (cue & CUE_REASONING) st.cueReasoning++;
  if (cue & CUE_MULTI_STEP) st.cueMultiStep++;
  if (cue & CUE_CONSTRAINT) st.cueConstraint++;
  if (cue & CUE_LENGTH_UNIT) {
    st.cueLength++;
    // "in 300 words", "5 bullet points": a length the answer must meet.
    if (st.prevWasNumber) st.requestedLength++;
  }
  if (cue & CUE_CREATIVE) st.cueCreative++;
  if (cue & CUE_EXTRACTION) st.cueExtraction++;
  if (cue & CUE_CLASSIFICATION) st.cueClassification++;
  if (cue & CUE_REWRITE) st.cueRewrite++;
  if (cue & CUE_FACTUAL) st.cueFactual++;
  if (cue & CUE_CHAT) st.cueChat++;
  if (cue & CUE_ADVICE) st.cueAdvice++;
  if (cue & CUE_HOW_QUANTITY && st.prevWasHow) st.quantityQuestions++;
}

function endWord(buf: FeatureBuffer, st: ScanState, wh: number, wordLen: number, wordDigits: number): void {
  st.words++;
  st.wordChars += wordLen;
  if (st.lexical) {
    emit(buf, wh ^ UNIGRAM_SALT, st.mask, 0);
    st.wordFeatures++;
    if (st.bigrams && st.hasPrevWord) {
      emit(buf, combineHashes(st.prevWord, wh), st.mask, 0);
      st.wordFeatures++;
    }
  }
  if (st.cues) {
    const cue = cueMaskOf(wh);
    if (cue !== 0) countCues(st, cue);
    st.prevWasHow = (cue & CUE_HOW) !== 0;
  }
  st.prevWasNumber = wordDigits === wordLen;
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

/** Tracks where a line starts, to count enumerated requirements: "1." / "2)" / "-" / "*" then a space. */
function nextLineState(st: ScanState, lineState: number, code: number, cls: number): number {
  switch (lineState) {
    case LINE_START:
      if (code === 32 || code === 9) return LINE_START;
      if (cls === 3) return LINE_DIGITS;
      if (code === 45 || code === 42 || code === 0x2022) return LINE_BULLET;
      return LINE_BODY;
    case LINE_DIGITS:
      if (cls === 3) return LINE_DIGITS;
      if (code === 46 || code === 41) st.enumerated++;
      return LINE_BODY;
    case LINE_BULLET:
      if (code === 32) st.enumerated++;
      return LINE_BODY;
    default:
      return LINE_BODY;
  }
}

function scanSpan(buf: FeatureBuffer, st: ScanState, text: string, from: number, to: number): void {
  st.scanned += to - from;
  // The per-character state lives in locals; the shared state object is touched once per word.
  let wh = st.wordHash;
  let wordLen = st.wordLen;
  let wordDigits = st.wordDigits;
  let choice = st.choiceState;
  let ticks = st.backticks;
  let lineState = st.lineState;
  // Whether the previous character ended a sentence ('.', '!', '?') or was a '$'.
  let afterTerminal = st.afterTerminal;
  let afterDollar = st.afterDollar;
  const charN = st.charN;
  for (let i = from; i < to; i++) {
    let code = text.charCodeAt(i);
    if (code < 128) {
      const cls = ASCII_CLASS[code];
      const enumerator = lineState === LINE_DIGITS;
      if (lineState !== LINE_BODY) lineState = nextLineState(st, lineState, code, cls);
      if (cls !== 0) {
        // Most characters are letters inside a word: this path does as little as it can.
        if (choice !== 0) choice = choice === 1 && cls === 2 && code <= 69 ? 2 : 0;
        if (ticks !== 0) {
          if (ticks === 1) st.inlineCode++;
          ticks = 0;
        }
        if (cls === 2) code |= 32;
        else if (cls === 3) {
          st.digits++;
          if (wordDigits === wordLen) {
            // A run of digits: a number starts here unless the word already had one.
            if (wordDigits === 0) {
              st.numbers++;
              if (afterDollar) st.moneyPercent++;
            }
            wordDigits++;
          }
          // Every digit hashes as 0: numbers share features whatever their value.
          code = 48;
        }
        afterTerminal = false;
        afterDollar = false;
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
      } else if (ticks !== 0) {
        if (ticks === 1) st.inlineCode++;
        ticks = 0;
      }
      if (wordLen > 0) {
        // "3.5" and "1,000" stay one number: a separator between digits does not end it.
        const next = i + 1 < to ? text.charCodeAt(i + 1) : 0;
        if ((code === 46 || code === 44) && wordDigits === wordLen && next >= 48 && next <= 57) {
          wordDigits++;
          wordLen++;
          continue;
        }
        endWord(buf, st, wh, wordLen, wordDigits);
        wh = FNV_OFFSET;
        wordLen = 0;
        wordDigits = 0;
      }
      const terminal = afterTerminal;
      afterTerminal = false;
      afterDollar = false;
      switch (code) {
        case 10:
          st.lines++;
          lineState = LINE_START;
          if (terminal) st.sentences++;
          break;
        case 32:
        case 9:
          if (terminal) st.sentences++;
          break;
        case 33:
        case 46:
          // "1." opening a list item ends no sentence.
          afterTerminal = !enumerator;
          break;
        case 63:
          st.questionMarks++;
          afterTerminal = true;
          break;
        case 36:
          // "$12" is money; "$x^2$" is LaTeX.
          afterDollar = true;
          st.latex++;
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
        case 61:
          st.equals++;
          st.mathOps++;
          break;
        case 37:
          st.moneyPercent++;
          st.mathOps++;
          break;
        case 43:
        case 45:
        case 42:
        case 47:
        case 94:
          st.mathOps++;
          break;
        case 92:
          st.latex++;
          break;
      }
      if (charN !== 0) pushChar(buf, st, code === 10 || code === 9 || code === 13 ? 32 : code);
      continue;
    }
    choice = 0;
    ticks = 0;
    st.nonAscii++;
    afterTerminal = false;
    afterDollar = false;
    if (lineState !== LINE_BODY) lineState = nextLineState(st, lineState, code, 0);
    const cjk = isCjk(code);
    if (cjk || (code >= 0x2000 && code <= 0x2bff) || (code >= 0x3000 && code <= 0x303f)) {
      if (wordLen > 0) {
        endWord(buf, st, wh, wordLen, wordDigits);
        wh = FNV_OFFSET;
        wordLen = 0;
        wordDigits = 0;
      }
    }
    if (code === 0x3002 || code === 0xff01 || code === 0xff1f) st.sentences++;
    if (cjk) {
      // Scripts written without spaces: each character is a word of its own.
      st.cjk++;
      endWord(buf, st, fnvStep(FNV_OFFSET, code), 1, 0);
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
  if (wordLen > 0) endWord(buf, st, wh, wordLen, wordDigits);
  if (ticks === 1) st.inlineCode++;
  if (afterTerminal || wordLen > 0) st.sentences++;
  st.afterTerminal = false;
  st.afterDollar = afterDollar;
  st.wordHash = FNV_OFFSET;
  st.wordLen = 0;
  st.wordDigits = 0;
  st.choiceState = choice;
  st.backticks = 0;
  st.lineState = lineState;
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

/** Scans a message's text parts within `budget` characters; returns the characters it was given. */
function scanContent(
  buf: FeatureBuffer,
  st: ScanState,
  content: ChatMessage['content'],
  config: FeatureConfig,
  budget: number,
): number {
  if (typeof content === 'string') {
    scanText(buf, st, content, config, budget);
    return content.length;
  }
  if (!Array.isArray(content)) return 0;
  let left = budget;
  let chars = 0;
  for (const part of content as ContentPart[]) {
    if (part.type !== 'text' || typeof part.text !== 'string') continue;
    left -= scanText(buf, st, part.text, config, left);
    st.breakRun();
    chars += part.text.length;
  }
  return chars;
}

/** Scans the first `budget` characters of a message, head only: the start of an earlier turn. */
function scanOpening(
  buf: FeatureBuffer,
  st: ScanState,
  content: ChatMessage['content'],
  budget: number,
): void {
  let left = budget;
  const parts: readonly (string | ContentPart)[] =
    typeof content === 'string' ? [content] : Array.isArray(content) ? (content as ContentPart[]) : [];
  for (const part of parts) {
    const text = typeof part === 'string' ? part : part.type === 'text' ? part.text : undefined;
    if (typeof text !== 'string' || left <= 0) continue;
    const to = Math.min(text.length, left);
    scanSpan(buf, st, text, 0, to);
    st.breakRun();
    left -= to;
  }
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

function presence(x: number): number {
  return x > 0 ? 1 : 0;
}

/**
 * Reads a request into `buf`: raw dense features (standardised later with the model's statistics)
 * and hashed lexical feature indices with their values. Words, task cues and lexical features come
 * from the last user turn, the request being routed; lengths and structure come from the whole
 * conversation.
 */
export function extractFeatures(
  input: RouterInput,
  config: FeatureConfig,
  buf: FeatureBuffer,
  parts: Readonly<ScanParts> = ALL_PARTS,
): void {
  const st = state;
  st.reset(config, parts);
  buf.count = 0;
  let messages: readonly ChatMessage[] | undefined;
  let request: RouterRequest | undefined;
  let ask: ChatMessage['content'] = '';
  let totalChars = 0;
  let systemChars = 0;
  let hasSystem = 0;
  let assistantTurns = 0;
  let messageCount = 1;
  let earlier: ChatMessage['content'] | undefined;
  if (typeof input === 'string') {
    ask = input;
    totalChars = input.length;
  } else {
    messages = Array.isArray(input) ? (input as readonly ChatMessage[]) : (input as RouterRequest).messages;
    if (!Array.isArray(input)) request = input as RouterRequest;
    messageCount = messages.length;
    let askIndex = -1;
    let earlierIndex = -1;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      const n = contentLength(m.content);
      totalChars += n;
      if (m.role === 'system' || m.role === 'developer') {
        hasSystem = 1;
        systemChars += n;
      } else if (m.role === 'assistant') assistantTurns++;
      else if (m.role === 'user') {
        earlierIndex = askIndex;
        askIndex = i;
      }
    }
    if (askIndex < 0) askIndex = messages.length - 1;
    if (askIndex >= 0) ask = messages[askIndex].content;
    if (earlierIndex >= 0) earlier = messages[earlierIndex].content;
  }

  const askChars = scanContent(buf, st, ask, config, config.headChars + config.tailChars);
  if (earlier !== undefined && config.contextChars > 0) {
    st.breakRun();
    scanOpening(buf, st, earlier, config.contextChars);
  }

  if (st.lexical) {
    // Each family sums to unit length, so a long prompt does not drown the dense features.
    const wordNorm = st.wordFeatures > 0 ? config.lexicalScale / Math.sqrt(st.wordFeatures) : 0;
    const charNorm = st.charFeatures > 0 ? config.lexicalScale / Math.sqrt(st.charFeatures) : 0;
    for (let i = 0; i < buf.count; i++) buf.values[i] = buf.values[i] === 0 ? wordNorm : charNorm;
  }

  const scanned = Math.max(1, st.scanned);
  buf.multipleChoice = st.choices >= 2;
  const d = buf.dense;
  const tools = request?.tools?.length ?? 0;
  const toolChoice = request?.tool_choice;
  const format = request?.response_format?.type;
  const maxTokens = request?.max_completion_tokens ?? request?.max_tokens ?? 0;
  const hasMaxTokens = typeof maxTokens === 'number' && maxTokens > 0;
  const cue = config.cueEncoding === 'presence' ? presence : log1p;
  let k = 0;
  // length
  d[k++] = log1p(totalChars);
  d[k++] = log1p(askChars);
  d[k++] = log1p(st.words);
  d[k++] = log1p(st.sentences);
  d[k++] = log1p(st.lines);
  // conversation
  d[k++] = log1p(messageCount);
  d[k++] = log1p(assistantTurns);
  d[k++] = hasSystem;
  d[k++] = log1p(systemChars);
  // tools and output
  d[k++] = log1p(tools);
  d[k++] = toolChoice === 'required' || (typeof toolChoice === 'object' && toolChoice !== null) ? 1 : 0;
  d[k++] = format === 'json_object' || format === 'json_schema' ? 1 : 0;
  d[k++] = log1p(hasMaxTokens ? maxTokens : 0);
  d[k++] = hasMaxTokens ? 1 : 0;
  // code
  d[k++] = Math.min(st.fences, 8);
  // Each inline span has an opening and a closing backtick.
  d[k++] = log1p(Math.ceil(st.inlineCode / 2));
  d[k++] = st.codePunct / scanned;
  d[k++] = cue(st.cueCode);
  // numbers and math
  d[k++] = st.digits / scanned;
  d[k++] = log1p(st.numbers);
  d[k++] = st.mathOps / scanned;
  d[k++] = log1p(st.equals);
  d[k++] = log1p(st.latex);
  d[k++] = log1p(st.moneyPercent);
  d[k++] = cue(st.cueMath);
  d[k++] = cue(st.cueQuantity);
  d[k++] = log1p(st.quantityQuestions);
  // The quantities of a word problem: more of them, more steps to chain.
  d[k++] = st.quantityQuestions > 0 ? log1p(st.numbers) : 0;
  // reasoning
  d[k++] = cue(st.cueReasoning);
  d[k++] = cue(st.cueMultiStep);
  d[k++] = log1p(st.questionMarks);
  // constraints
  d[k++] = cue(st.cueConstraint);
  d[k++] = log1p(st.enumerated);
  d[k++] = cue(st.cueLength);
  d[k++] = log1p(st.requestedLength);
  // task kind
  d[k++] = cue(st.cueCreative);
  d[k++] = cue(st.cueExtraction);
  d[k++] = cue(st.cueClassification);
  d[k++] = cue(st.cueRewrite);
  d[k++] = cue(st.cueFactual);
  d[k++] = cue(st.cueChat);
  d[k++] = cue(st.cueAdvice);
  d[k++] = log1p(st.choices);
  // script
  d[k++] = st.nonAscii / scanned;
  d[k++] = st.cjk / scanned;
  d[k++] = st.cyrillic / scanned;
  d[k++] = st.otherScript / scanned;
  // style
  d[k] = st.words > 0 ? st.wordChars / st.words : 0;
}
