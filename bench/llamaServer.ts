/**
 * `LLAMA_URL=http://127.0.0.1:8080 npm run bench -- --llamacpp`: the prompt cost of typing against
 * a real llama.cpp `llama-server` (see README "Performance"), from the server's own `timings`. Not
 * part of CI. Types `--chars=N` characters (default 40) in the middle of each corpus file, one
 * request per keystroke, sequentially (so each one runs to its end and reports its timings), with
 * Infill's `llamacpp` preset at its defaults, then a few keystrokes with the whole suffix
 * (`infill.suffixBudgetMs` 0) for comparison. Requests ask for one token: the prompt is the cost.
 */
import { withPromptSpeed } from '../src/core/engine/promptSpeed';
import { assemblePrompt } from '../src/core/prompt/promptAssembler';
import { StringDocument } from '../src/core/prompt/textDocumentLike';
import { requestCompletion } from '../src/core/protocol/completionClient';
import { buildCompletionRequest } from '../src/core/protocol/requestBuilder';
import { resolveProvider } from '../src/core/providers/providerPresets';
import { DEFAULT_SETTINGS, type InfillSettings } from '../src/core/settings';
import { HttpTransport } from '../src/core/transport/httpTransport';
import { loadCorpus } from './benchDocuments';
import { median, percentile } from './stats';

interface Sample {
  evaluated: number;
  reused: number;
}

async function typeInFile(
  baseUrl: string,
  text: string,
  languageId: string,
  chars: number,
  overrides: Partial<InfillSettings>,
): Promise<Sample[]> {
  const settings: InfillSettings = {
    ...DEFAULT_SETTINGS,
    provider: 'llamacpp',
    baseUrl,
    model: 'qwen2.5-coder',
    contextOpenFiles: false,
    ...overrides,
  };
  const transport = new HttpTransport();
  const start = text.lastIndexOf('\n', Math.floor(text.length * 0.45)) + 1;
  const end = text.indexOf('\n', start);
  const typing = text.slice(start, end).slice(0, chars);
  const samples: Sample[] = [];
  try {
    for (let i = 0; i <= typing.length; i++) {
      const typed = text.slice(0, start) + typing.slice(0, i);
      const document = new StringDocument(typed + '\n' + text.slice(end), languageId, '/bench/real');
      const line = typed.split('\n').length - 1;
      const position = { line, character: typed.length - typed.lastIndexOf('\n') - 1 };
      const provider = withPromptSpeed(resolveProvider(settings), baseUrl, transport);
      const { parts } = assemblePrompt({ document, position, settings, provider });
      const { body } = buildCompletionRequest(settings, parts, provider);
      const result = await requestCompletion(transport, { baseUrl, endpointPath: '' }, { ...body, max_tokens: 1 });
      const t = result.serverTimings;
      if (t && i > 0) samples.push({ evaluated: t.promptTokens, reused: t.cachedTokens ?? 0 });
    }
  } finally {
    await transport.close();
  }
  return samples;
}

function line(label: string, samples: Sample[]): string {
  const evaluated = samples.map((s) => s.evaluated);
  const total = samples.reduce((n, s) => n + s.evaluated + s.reused, 0);
  const reused = samples.reduce((n, s) => n + s.reused, 0);
  return (
    `${label}: ${samples.length} requests, evaluated median ${median(evaluated)}, p90 ${percentile(evaluated, 90)}, ` +
    `prompt tokens median ${median(samples.map((s) => s.evaluated + s.reused))}, reused ${((100 * reused) / Math.max(1, total)).toFixed(1)}%`
  );
}

export async function runAgainstLlamaServer(args: string[]): Promise<void> {
  const url = process.env.LLAMA_URL;
  if (!url) throw new Error('Set LLAMA_URL to the llama-server address, e.g. LLAMA_URL=http://127.0.0.1:8080');
  const baseUrl = `${url.replace(/\/+$/, '')}/v1`;
  const chars = Number(args.find((a) => a.startsWith('--chars='))?.slice('--chars='.length) ?? 40);
  const defaults: Sample[] = [];
  const whole: Sample[] = [];
  for (const file of loadCorpus()) {
    const mine = await typeInFile(baseUrl, file.text, file.languageId, chars, {});
    const theirs = await typeInFile(baseUrl, file.text, file.languageId, 3, { suffixBudgetMs: 0 });
    defaults.push(...mine);
    whole.push(...theirs);
    process.stderr.write(`[bench] ${file.name}: ${line('defaults', mine)}; ${line('whole suffix', theirs)}\n`);
  }
  process.stdout.write(`\nllama-server at ${url}, timings from the server:\n`);
  process.stdout.write(`${line('defaults', defaults)}\n${line('suffixBudgetMs 0 (whole suffix)', whole)}\n`);
}
