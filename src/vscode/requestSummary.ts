import { completionUrl } from '../core/protocol/completionClient';
import type { DecisionContext } from '../core/reports/decisionReport';
import { resolveProvider } from '../core/providers/providerPresets';
import type { InfillSettings } from '../core/settings';

/**
 * Where requests go and with which parameters, as configured, for the "Explain" report: origin and
 * path only (never credentials in the URL), and no header values.
 */
export function describeRequestTarget(settings: InfillSettings): Pick<DecisionContext, 'endpoint' | 'parameters'> {
  let endpoint: string | undefined;
  try {
    const provider = resolveProvider(settings);
    const url = completionUrl(provider);
    endpoint = `${url.origin}${url.pathname} (${provider.label})`;
  } catch (err) {
    endpoint = err instanceof Error ? err.message : String(err);
  }
  const parameters: Record<string, unknown> = {
    max_tokens: settings.maxTokens,
    temperature: settings.temperature,
    fimMode: settings.fimMode,
    contextLength: settings.contextLength,
  };
  if (settings.stop.length > 0) parameters.stop = settings.stop;
  const optional: [string, unknown][] = [
    ['top_p', settings.topP],
    ['top_k', settings.topK],
    ['n', settings.n],
    ['best_of', settings.bestOf],
    ['presence_penalty', settings.presencePenalty],
    ['frequency_penalty', settings.frequencyPenalty],
    ['seed', settings.seed],
    ['logprobs', settings.logprobs],
  ];
  for (const [name, value] of optional) if (value !== null && value !== undefined) parameters[name] = value;
  const headerNames = Object.keys(settings.headers ?? {});
  if (headerNames.length > 0) parameters['custom header names'] = headerNames;
  return { endpoint, parameters };
}
