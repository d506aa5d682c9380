import type { ResolvedProvider } from '../providers/providerPresets';
import type { InfillSettings } from '../settings';
import type { CacheHit } from './completionCache';
import type { CompletionDecision, CompletionOutcome, Suggestion, SuggestionSource } from './completionEngine';

/**
 * A stored answer as what the editor is shown: the cache keeps LF text; the suggestion gets the
 * document's line endings. `joined` is a position served by a request it waited for.
 */
export function outcomeFromCache(
  hit: CacheHit,
  base: CompletionDecision,
  eol: '\n' | '\r\n',
  joined: boolean,
): CompletionOutcome {
  if (hit.choices.length === 0) {
    const reason = 'this position was answered before, with nothing to show';
    return {
      suggestions: [],
      decision: { ...base, outcome: 'empty', reasonCode: 'filtered', reason, source: 'cache', fromCache: true },
    };
  }
  const source: SuggestionSource =
    hit.typed.length > 0 || (joined && hit.entry.source !== 'speculative')
      ? 'typedAhead'
      : hit.entry.source === 'speculative'
        ? 'speculative'
        : 'cache';
  const suggestions: Suggestion[] = hit.choices.map((c) => ({
    insertText: eol === '\r\n' ? c.text.replace(/\r?\n/g, '\r\n') : c.text,
    replaceSuffixChars: c.replaceSuffixChars,
    ...(c.meanLogprob !== undefined ? { meanProbability: Math.exp(c.meanLogprob) } : {}),
  }));
  const reason =
    source === 'typedAhead'
      ? `served from a suggestion the typing matches (${hit.typed.length} characters typed into it)`
      : source === 'speculative'
        ? 'served from the speculative prefetch'
        : 'served from the cache (this position was completed before)';
  return {
    suggestions,
    decision: {
      ...base,
      outcome: 'shown',
      reasonCode: 'cacheHit',
      reason,
      source,
      fromCache: true,
      shownText: suggestions[0]!.insertText,
    },
  };
}

/** Every setting that changes what the server answers or what is shown of it. */
export function answerFingerprint(settings: InfillSettings, provider: ResolvedProvider): string {
  return JSON.stringify([
    provider.id,
    provider.baseUrl,
    provider.endpointPath,
    settings.model,
    settings.fimMode,
    settings.fimTemplate,
    settings.stop,
    settings.maxTokens,
    settings.temperature,
    settings.maxLines,
    settings.multiline,
    settings.n,
    settings.minConfidence,
    settings.contextLength,
    settings.extraBody,
  ]);
}
