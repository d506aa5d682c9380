import type { CompletionUsage } from '../protocol/completionTypes';
import type { Translate } from './decisionReport';
import type { InfillErrorKind } from '../infillError';

/**
 * What `Infill: Test Connection` found, from one small request: is the server reachable, does it
 * accept the key, which model answered, time to first byte and to first token, and generation
 * speed in tokens per second.
 */
export interface ConnectionTestInput {
  url: string;
  requestedModel: string;
  keySent: boolean;
  keyRequired: boolean;
  result?: {
    status: number;
    model?: string;
    text: string;
    finishReason: string | null;
    usage?: CompletionUsage;
    timing: { headersMs: number; firstTokenMs?: number; totalMs: number };
  };
  error?: { kind: InfillErrorKind; message: string; status?: number };
}

export interface CheckLine {
  label: string;
  value: string;
  /** true: fine; false: the problem; undefined: for information. */
  ok?: boolean;
}

export interface ConnectionTestReport {
  ok: boolean;
  /** One sentence for a notification. */
  headline: string;
  lines: CheckLine[];
  tokensPerSecond?: number;
  /** True when the speed was estimated from characters (the server reported no usage). */
  speedEstimated?: boolean;
}

const CHARS_PER_TOKEN = 3.5;

const identity: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

export function summarizeConnectionTest(input: ConnectionTestInput, t: Translate = identity): ConnectionTestReport {
  const lines: CheckLine[] = [{ label: t('Endpoint'), value: input.url }];
  const { result, error } = input;
  if (error) return failedReport(error, input.keySent, lines, t);
  if (!result) return { ok: false, headline: t('Connection test failed: no answer'), lines };
  return answeredReport(input, result, lines, t);
}

/** The server did not answer with a completion: how far the request got, and what to check. */
function failedReport(
  error: NonNullable<ConnectionTestInput['error']>,
  keySent: boolean,
  lines: CheckLine[],
  t: Translate,
): ConnectionTestReport {
  const reached = error.status !== undefined;
  lines.push({
    label: t('Reachable'),
    value: reached ? t('yes (HTTP {0})', error.status!) : t('no: {0}', error.message),
    ok: reached,
  });
  if (error.kind === 'auth' || error.kind === 'forbidden') {
    lines.push({
      label: t('Authentication'),
      value: keySent ? t('rejected: {0}', error.message) : t('the server wants a key: run "Infill: Set API Key"'),
      ok: false,
    });
  } else if (reached) {
    lines.push({ label: t('Answer'), value: error.message, ok: false });
    if (error.kind === 'notFound')
      lines.push({ label: t('Hint'), value: t('check infill.baseUrl, infill.endpointPath and infill.model') });
  } else if (error.kind === 'config') {
    lines.push({ label: t('Settings'), value: error.message, ok: false });
  }
  return { ok: false, headline: t('Connection test failed: {0}', error.message), lines };
}

/** A completion came back: who answered, how fast, and a sample of the text. */
function answeredReport(
  input: ConnectionTestInput,
  result: NonNullable<ConnectionTestInput['result']>,
  lines: CheckLine[],
  t: Translate,
): ConnectionTestReport {
  lines.push({ label: t('Reachable'), value: t('yes (HTTP {0})', result.status), ok: true });
  lines.push({
    label: t('Authentication'),
    value: input.keySent
      ? t('accepted')
      : input.keyRequired
        ? t('no key sent, yet the server answered')
        : t('no key needed'),
    ok: true,
  });
  const served =
    result.model && result.model !== input.requestedModel
      ? t('{0} (the server answered as {1})', input.requestedModel, result.model)
      : input.requestedModel;
  lines.push({ label: t('Model'), value: served, ok: true });
  lines.push({ label: t('Time to first byte'), value: `${Math.round(result.timing.headersMs)} ms` });
  if (result.timing.firstTokenMs !== undefined)
    lines.push({ label: t('Time to first token'), value: `${Math.round(result.timing.firstTokenMs)} ms` });
  lines.push({ label: t('Total time'), value: `${Math.round(result.timing.totalMs)} ms` });

  const speed = tokensPerSecond(result);
  if (speed) {
    lines.push({
      label: t('Speed'),
      value: speed.estimated
        ? t('about {0} tokens/s (estimated from characters)', speed.value.toFixed(1))
        : t('{0} tokens/s', speed.value.toFixed(1)),
    });
  }
  const sample = result.text.length > 80 ? `${result.text.slice(0, 80)}…` : result.text;
  lines.push({
    label: t('Sample'),
    value: sample ? JSON.stringify(sample) : t('(empty)'),
    ok: sample.trim() !== '' ? true : undefined,
  });
  if (result.finishReason) lines.push({ label: t('Finish reason'), value: result.finishReason });
  const firstToken = result.timing.firstTokenMs ?? result.timing.headersMs;
  const headline = speed
    ? t(
        'Connected to {0}: first token after {1} ms, {2} tokens/s.',
        input.requestedModel,
        Math.round(firstToken),
        speed.value.toFixed(1),
      )
    : t('Connected to {0}: first token after {1} ms.', input.requestedModel, Math.round(firstToken));
  return {
    ok: true,
    headline,
    lines,
    ...(speed ? { tokensPerSecond: speed.value, speedEstimated: speed.estimated } : {}),
  };
}

/**
 * Generation speed: completion tokens over the time from the first token to the end. The first
 * token is not counted, since its time is the server's latency, not its speed.
 */
export function tokensPerSecond(
  result: NonNullable<ConnectionTestInput['result']>,
): { value: number; estimated: boolean } | undefined {
  const first = result.timing.firstTokenMs;
  if (first === undefined) return undefined;
  const seconds = (result.timing.totalMs - first) / 1000;
  if (seconds <= 0) return undefined;
  const reported = result.usage?.completion_tokens;
  const tokens =
    typeof reported === 'number' && reported > 0 ? reported : Math.ceil(result.text.length / CHARS_PER_TOKEN);
  if (tokens < 2) return undefined;
  return { value: (tokens - 1) / seconds, estimated: !(typeof reported === 'number' && reported > 0) };
}
