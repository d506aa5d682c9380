import { InfillError } from '../infillError';
import type { InfillSettings } from '../settings';

/**
 * Range checks for every request parameter Infill can send, with the limits the provider documents
 * give (../shared/reference, and the OpenAI schema). A value out of range is reported before any
 * request is made, naming the `infill.*` setting to fix, because a server's 400 would name its own
 * wire field at best, and a relay's would name nothing.
 */

export interface ParameterProblem {
  /** The setting to change, e.g. `infill.topP`. */
  setting: string;
  message: string;
}

type NumericKey =
  | 'maxTokens'
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'minP'
  | 'n'
  | 'bestOf'
  | 'presencePenalty'
  | 'frequencyPenalty'
  | 'repetitionPenalty'
  | 'seed'
  | 'logprobs';

interface NumericRule {
  key: NumericKey;
  wire: string;
  integer?: boolean;
  min?: number;
  max?: number;
  /** The minimum itself is not allowed. */
  minExclusive?: boolean;
}

/** Limits as the documents state them (OpenAI, gptacg/wushuangai, ppinfra). */
export const NUMERIC_RULES: readonly NumericRule[] = [
  { key: 'maxTokens', wire: 'max_tokens', integer: true, min: 1 },
  { key: 'temperature', wire: 'temperature', min: 0, max: 2 },
  { key: 'topP', wire: 'top_p', min: 0, max: 1 },
  // ppinfra: 1 … 128.
  { key: 'topK', wire: 'top_k', integer: true, min: 1, max: 128 },
  { key: 'minP', wire: 'min_p', min: 0, max: 1 },
  { key: 'n', wire: 'n', integer: true, min: 1, max: 128 },
  { key: 'bestOf', wire: 'best_of', integer: true, min: 1, max: 20 },
  { key: 'presencePenalty', wire: 'presence_penalty', min: -2, max: 2 },
  { key: 'frequencyPenalty', wire: 'frequency_penalty', min: -2, max: 2 },
  // ppinfra: 0 < x < 2; 1 means no penalty.
  { key: 'repetitionPenalty', wire: 'repetition_penalty', min: 0, max: 2, minExclusive: true },
  { key: 'seed', wire: 'seed', integer: true },
  { key: 'logprobs', wire: 'logprobs', integer: true, min: 0, max: 5 },
];

function describeRange(rule: NumericRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) {
    return `${kind} ${rule.minExclusive ? 'greater than' : 'from'} ${rule.min} ${rule.minExclusive ? 'and at most' : 'to'} ${rule.max}`;
  }
  if (rule.min !== undefined) return `${kind} ${rule.minExclusive ? 'greater than' : 'of at least'} ${rule.min}`;
  return kind;
}

/** Every problem in the request-parameter settings; empty when they can be sent as they are. */
export function checkRequestParameters(settings: InfillSettings): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  const add: AddProblem = (key, message) =>
    problems.push({ setting: `infill.${key}`, message: `infill.${key} ${message}` });

  checkNumericRanges(settings, add);

  const { n, bestOf } = settings;
  if (isNumber(bestOf) && isNumber(n) && bestOf <= n) {
    add(
      'bestOf',
      `(\`best_of\`) must be greater than infill.n (\`n\`): best_of candidates are generated and the best n returned; it is ${bestOf} with n ${n}`,
    );
  }
  if (isNumber(bestOf) && bestOf > 1 && settings.stream) {
    add('bestOf', '(`best_of`) cannot be streamed: set infill.stream to false, or unset infill.bestOf');
  }

  for (const key of ['echo', 'includeUsage', 'moderation', 'moderationStop'] as const) {
    const value: unknown = settings[key];
    if (value !== null && value !== undefined && typeof value !== 'boolean')
      add(key, `must be true, false or null; it is ${JSON.stringify(value)}`);
  }
  if (settings.moderationStop === true && settings.moderation !== true) {
    add('moderationStop', '(`moderation_stop`) only works together with infill.moderation set to true');
  }
  if (
    settings.user !== null &&
    settings.user !== undefined &&
    (typeof settings.user !== 'string' || settings.user.trim() === '')
  ) {
    add('user', 'must be a non-empty string or null');
  }

  checkLogitBias(settings.logitBias, add);

  if (!Array.isArray(settings.stop) || settings.stop.some((s) => typeof s !== 'string')) {
    add('stop', 'must be a list of strings');
  }
  if (!isPlainObject(settings.extraBody)) add('extraBody', 'must be a JSON object');
  if (!isPlainObject(settings.headers) || Object.values(settings.headers).some((v) => typeof v !== 'string')) {
    add('headers', 'must be an object of header names to string values');
  }
  return problems;
}

/** Reports a problem with `infill.<key>`; the message goes on after the setting's name. */
type AddProblem = (key: string, message: string) => void;

/** Each numeric setting that is set: a finite number, whole where it must be, within its documented range. */
function checkNumericRanges(settings: InfillSettings, add: AddProblem): void {
  for (const rule of NUMERIC_RULES) {
    const value: unknown = settings[rule.key];
    if (value === null || value === undefined) continue;
    const bad =
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (rule.integer === true && !Number.isSafeInteger(value)) ||
      (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min)) ||
      (rule.max !== undefined && value > rule.max);
    if (bad) add(rule.key, `(\`${rule.wire}\`) must be ${describeRange(rule)}; it is ${JSON.stringify(value)}`);
  }
}

/** `infill.logitBias`: token ids (as strings) to whole numbers from -100 to 100, as OpenAI takes them. */
function checkLogitBias(bias: unknown, add: AddProblem): void {
  if (bias !== null && bias !== undefined) {
    if (typeof bias !== 'object' || Array.isArray(bias)) {
      add('logitBias', 'must be an object mapping token ids to a bias, e.g. {"50256": -100}');
    } else {
      for (const [token, value] of Object.entries(bias as Record<string, unknown>)) {
        if (!/^\d+$/.test(token)) add('logitBias', `keys must be token ids (whole numbers); "${token}" is not`);
        else if (typeof value !== 'number' || !Number.isInteger(value) || value < -100 || value > 100) {
          add(
            'logitBias',
            `values must be whole numbers from -100 to 100; token ${token} has ${JSON.stringify(value)}`,
          );
        }
      }
    }
  }
}

/** Throws one `config` error listing every problem, so the user fixes them in one go. */
export function assertValidRequestParameters(settings: InfillSettings): void {
  const problems = checkRequestParameters(settings);
  if (problems.length > 0) throw new InfillError('config', problems.map((p) => p.message).join('; '));
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
