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
}
