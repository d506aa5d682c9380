/**
 * Fill-in-the-middle prompt formats of the code models Infill knows, for servers whose
 * `/completions` endpoint takes a raw prompt and ignores or rejects `suffix` (vLLM, llama.cpp's
 * `/v1/completions`, many relays). The tokens are the ones each model was trained with, as their
 * model cards and tokenizer configs publish them.
 */
export interface FimTemplate {
  id: string;
  label: string;
  /** The prompt, with `{prefix}` and `{suffix}` placeholders. */
  format: string;
  /** The model's own end-of-middle and control tokens: added to `stop`, so none shows as text. */
  stops: string[];
  /**
   * The suffix-first (SPM) form, for a model documented as trained with it as well. A server with a
   * prompt cache then reuses the suffix and evaluates only what was typed since the last request;
   * Infill uses it where each keystroke's prompt cost counts (a local server).
   */
  suffixFirstFormat?: string;
}

const QWEN: FimTemplate = {
  id: 'qwen-coder',
  label: 'Qwen2.5-Coder / Qwen3-Coder',
  format: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',
  stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>', '<|fim_prefix|>', '<|im_end|>'],
};

// DeepSeek-Coder v1 and V2 share these tokens; the bars are U+FF5C and the space mark U+2581.
const DEEPSEEK: FimTemplate = {
  id: 'deepseek-coder',
  label: 'DeepSeek-Coder (v1, V2)',
  format: '<｜fim▁begin｜>{prefix}<｜fim▁hole｜>{suffix}<｜fim▁end｜>',
  stops: ['<｜end▁of▁sentence｜>', '<|EOT|>', '<｜fim▁begin｜>'],
};

const STARCODER: FimTemplate = {
  id: 'starcoder',
  label: 'StarCoder / StarCoder2',
  format: '<fim_prefix>{prefix}<fim_suffix>{suffix}<fim_middle>',
  stops: ['<|endoftext|>', '<file_sep>', '<fim_prefix>', '<fim_pad>'],
};

// Meta documents both prefix-suffix-middle and suffix-prefix-middle infilling for Code Llama (its
// model card, "Infilling"). Qwen2.5-Coder, DeepSeek-Coder and CodeGemma document only the
// prefix-first form; StarCoder's model card shows only that one too, so it is not assumed.
const CODELLAMA: FimTemplate = {
  id: 'codellama',
  label: 'CodeLlama',
  format: '<PRE> {prefix} <SUF>{suffix} <MID>',
  suffixFirstFormat: '<PRE> <SUF>{suffix} <MID> {prefix}',
  stops: ['<EOT>', '</s>'],
};

// Mistral's FIM puts the suffix first.
const CODESTRAL: FimTemplate = {
  id: 'codestral',
  label: 'Codestral',
  format: '[SUFFIX]{suffix}[PREFIX]{prefix}',
  stops: ['</s>', '[PREFIX]', '[SUFFIX]'],
};

const CODEGEMMA: FimTemplate = {
  id: 'codegemma',
  label: 'CodeGemma',
  format: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',
  stops: ['<|file_separator|>', '<|fim_prefix|>', '<end_of_turn>', '<eos>'],
};

/**
 * The built-in templates (the one table of them), each with the model-name pattern that picks it,
 * tried in order; names come as `qwen2.5-coder:1.5b`, `Qwen/Qwen2.5-Coder-7B`, `bigcode/starcoder2-3b`...
 */
const BY_MODEL: readonly [RegExp, FimTemplate][] = [
  [/qwen[\d.]*-?coder|qwen3-coder/i, QWEN],
  [/deepseek-?coder/i, DEEPSEEK],
  [/starcoder/i, STARCODER],
  [/code-?llama/i, CODELLAMA],
  [/codestral/i, CODESTRAL],
  [/code-?gemma/i, CODEGEMMA],
];

/** The built-in template for a model name, or undefined when Infill does not know the model's tokens. */
export function templateForModel(model: string): FimTemplate | undefined {
  for (const [pattern, template] of BY_MODEL) if (pattern.test(model)) return template;
  return undefined;
}

/**
 * `infill.fimTemplate`: a custom format with `{prefix}` and `{suffix}`. Returns the template, or an
 * error message saying what is wrong with it. Its stops: every `<...>`/`<|...|>`/`[...]` token the
 * format uses is a control token the model must not write back, so each is a stop.
 */
export function customTemplate(format: string): FimTemplate | { error: string } {
  if (!format.includes('{prefix}')) return { error: 'infill.fimTemplate must contain {prefix}' };
  if (!format.includes('{suffix}')) return { error: 'infill.fimTemplate must contain {suffix}' };
  const tokens = [...format.matchAll(/<[|｜]?[^<>{}\s]{1,40}[|｜]?>|\[[A-Z_]{2,20}\]/g)].map((m) => m[0]);
  return { id: 'custom', label: 'infill.fimTemplate', format, stops: [...new Set(tokens)] };
}

/** True when the suffix comes before the prefix, so the prompt ends where the user types. */
export function isSuffixFirst(format: string): boolean {
  return format.indexOf('{suffix}') < format.indexOf('{prefix}');
}

/** The same template laid out suffix-first, when the model is documented to take that form. */
export function suffixFirstVariant(template: FimTemplate): FimTemplate | undefined {
  if (isSuffixFirst(template.format)) return template;
  return template.suffixFirstFormat ? { ...template, format: template.suffixFirstFormat } : undefined;
}

/** Fills a template. Plain replacement, once each, so `{suffix}` inside the prefix text stays text. */
export function renderTemplate(template: FimTemplate, prefix: string, suffix: string): string {
  const p = template.format.indexOf('{prefix}');
  const s = template.format.indexOf('{suffix}');
  const first = p < s ? { at: p, len: 8, text: prefix } : { at: s, len: 8, text: suffix };
  const second = p < s ? { at: s, len: 8, text: suffix } : { at: p, len: 8, text: prefix };
  const f = template.format;
  return (
    f.slice(0, first.at) +
    first.text +
    f.slice(first.at + first.len, second.at) +
    second.text +
    f.slice(second.at + second.len)
  );
}
