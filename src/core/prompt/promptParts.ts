/**
 * The contract between the engine (which decides what text goes where: raw `suffix`, or a model's
 * fill-in-the-middle template folded into `prompt`) and the request builder (which decides which
 * parameters the provider is sent).
 */
export interface PromptParts {
  /** Text sent as `prompt`: the prefix, or the whole FIM template. */
  prompt: string;
  /** Text sent as `suffix`, when the engine wants the server to do the infilling. */
  suffix?: string;
  /** Stop strings the engine adds for this request (a template's end tokens, say); enforced like the configured
   * ones. */
  extraStops: string[];
  /** The document the prompt comes from: llama.cpp keeps each one's prompt cache in its own slot. */
  documentKey?: string;
  /** Leading whitespace of the cursor's line, when nothing else is before the cursor on it (a new statement). */
  statementIndent?: number;
}
