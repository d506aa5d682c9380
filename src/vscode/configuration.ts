import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type FimMode, type InfillSettings } from '../core/settings';
import { effectiveValue, isRestrictedSetting } from '../core/policy/trustPolicy';

/**
 * Settings that decide where code and keys are sent (the list lives in core/trustPolicy.ts). In an
 * untrusted workspace they come from user settings only, so a cloned repository's
 * .vscode/settings.json cannot redirect requests.
 */
export { RESTRICTED_SETTINGS } from '../core/policy/trustPolicy';

function read<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  if (!vscode.workspace.isTrusted && isRestrictedSetting(key)) {
    return effectiveValue(key, config.inspect<T>(key), false, fallback);
  }
  // Trusted, or harmless: VS Code's own resolution (it also merges object values across layers).
  return config.get<T>(key, fallback);
}

// One line per setting: a flat table reads best whole (split, a setting missing from it is harder to see).
// eslint-disable-next-line max-lines-per-function -- a flat table of settings, see above
export function readSettings(scope?: vscode.ConfigurationScope): InfillSettings {
  const c = vscode.workspace.getConfiguration('infill', scope);
  const d = DEFAULT_SETTINGS;
  return {
    enable: read(c, 'enable', d.enable),
    provider: read(c, 'provider', d.provider),
    baseUrl: read(c, 'baseUrl', d.baseUrl),
    endpointPath: read(c, 'endpointPath', d.endpointPath),
    model: read(c, 'model', d.model),
    maxTokens: read(c, 'maxTokens', d.maxTokens),
    temperature: read(c, 'temperature', d.temperature),
    stop: read<string[]>(c, 'stop', d.stop),
    fimMode: read<FimMode>(c, 'fimMode', d.fimMode),
    debounceMs: read<number | 'auto'>(c, 'debounceMs', d.debounceMs),
    fimTemplate: read(c, 'fimTemplate', d.fimTemplate),
    maxLines: read(c, 'maxLines', d.maxLines),
    multiline: read<InfillSettings['multiline']>(c, 'multiline', d.multiline),
    speculative: read<InfillSettings['speculative']>(c, 'speculative', d.speculative),
    minConfidence: read(c, 'minConfidence', d.minConfidence),
    contextOpenFiles: read(c, 'context.openFiles', d.contextOpenFiles),
    contextDefinitions: read(c, 'context.definitions', d.contextDefinitions),
    contextImports: read(c, 'context.imports', d.contextImports),
    contextRecentEdits: read(c, 'context.recentEdits', d.contextRecentEdits),
    contextRecentViews: read(c, 'context.recentViews', d.contextRecentViews),
    contextClipboard: read<InfillSettings['contextClipboard']>(c, 'context.clipboard', d.contextClipboard),
    contextDeadlineMs: read(c, 'context.deadlineMs', d.contextDeadlineMs),
    contextShares: read<InfillSettings['contextShares']>(c, 'context.shares', d.contextShares),
    headers: read<Record<string, string>>(c, 'headers', d.headers),
    extraBody: read<Record<string, unknown>>(c, 'extraBody', d.extraBody),
    contextLength: read(c, 'contextLength', d.contextLength),
    suffixBudgetMs: read(c, 'suffixBudgetMs', d.suffixBudgetMs),
    warmUp: read(c, 'warmUp', d.warmUp),
    ollamaKeepAlive: read(c, 'ollamaKeepAlive', d.ollamaKeepAlive),
    exclude: read<string[]>(c, 'exclude', d.exclude),
    languages: read<Record<string, boolean>>(c, 'languages', d.languages),
    pricing: read<InfillSettings['pricing']>(c, 'pricing', d.pricing),
    alternatives: read(c, 'alternatives', d.alternatives),
    topP: read<number | null>(c, 'topP', d.topP),
    topK: read<number | null>(c, 'topK', d.topK),
    minP: read<number | null>(c, 'minP', d.minP),
    n: read<number | null>(c, 'n', d.n),
    bestOf: read<number | null>(c, 'bestOf', d.bestOf),
    presencePenalty: read<number | null>(c, 'presencePenalty', d.presencePenalty),
    frequencyPenalty: read<number | null>(c, 'frequencyPenalty', d.frequencyPenalty),
    repetitionPenalty: read<number | null>(c, 'repetitionPenalty', d.repetitionPenalty),
    seed: read<number | null>(c, 'seed', d.seed),
    logprobs: read<number | null>(c, 'logprobs', d.logprobs),
    echo: read<boolean | null>(c, 'echo', d.echo),
    logitBias: read<Record<string, number> | null>(c, 'logitBias', d.logitBias),
    user: read<string | null>(c, 'user', d.user),
    includeUsage: read<boolean | null>(c, 'includeUsage', d.includeUsage),
    moderation: read<boolean | null>(c, 'moderation', d.moderation),
    moderationStop: read<boolean | null>(c, 'moderationStop', d.moderationStop),
    stream: read(c, 'stream', d.stream),
    headersTimeoutMs: read(c, 'firstByteTimeoutMs', d.headersTimeoutMs),
    idleTimeoutMs: read(c, 'idleTimeoutMs', d.idleTimeoutMs),
    inlineIdleTimeoutMs: read(c, 'inlineIdleTimeoutMs', d.inlineIdleTimeoutMs),
    totalTimeoutMs: read(c, 'totalTimeoutMs', d.totalTimeoutMs),
    retryMaxAttempts: read(c, 'retryMaxAttempts', d.retryMaxAttempts),
    retryMaxWaitMs: read(c, 'retryMaxWaitMs', d.retryMaxWaitMs),
    caCertificateFile: read(c, 'caCertificateFile', d.caCertificateFile),
    // `infill.proxy` / `infill.proxyStrictSSL` override VS Code's own proxy settings for Infill only.
    proxyUrl: read(c, 'proxy', '') || vscode.workspace.getConfiguration('http').get<string>('proxy', '') || d.proxyUrl,
    proxyStrictSSL:
      read<boolean | null>(c, 'proxyStrictSSL', null) ??
      vscode.workspace.getConfiguration('http').get<boolean>('proxyStrictSSL', d.proxyStrictSSL),
    noProxy: vscode.workspace.getConfiguration('http').get<string[]>('noProxy', d.noProxy),
  };
}
