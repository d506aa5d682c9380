import type { ResolvedProvider } from '../providers/providerPresets';
import type { HttpTransport } from '../transport/httpTransport';

/**
 * Ghost text on a local server pays for its prompt on every keystroke: the assembler sizes the
 * prompt to the server's prompt speed (see promptAssembler's latencyLayout).
 */
export function withPromptSpeed(
  provider: ResolvedProvider,
  baseUrl: string,
  transport: HttpTransport,
): ResolvedProvider {
  let origin: string;
  try {
    origin = new URL(baseUrl || provider.baseUrl).origin;
  } catch {
    return provider;
  }
  const promptTokensPerSecond = transport.promptSpeed.tokensPerSecond(origin, provider.local);
  const charsPerToken = transport.promptSpeed.charsPerToken(origin);
  if (promptTokensPerSecond === undefined && charsPerToken === undefined) return provider;
  return {
    ...provider,
    learned: {
      ...provider.learned,
      ...(promptTokensPerSecond !== undefined ? { promptTokensPerSecond } : {}),
      ...(charsPerToken !== undefined ? { charsPerToken } : {}),
    },
  };
}
