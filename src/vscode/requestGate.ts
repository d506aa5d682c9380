import * as vscode from 'vscode';
import { ExclusionMatcher } from '../core/policy/exclusionMatcher';
import { isLanguageEnabled } from '../core/engine/languageGate';
import type { InfillSettings } from '../core/settings';
import { readSettings } from './configuration';

/** Why no request may be made for a document, or that one may. */
export type GateVerdict =
  { allowed: true } | { allowed: false; scope: 'global' | 'language' | 'file' | 'editor'; reason: string };

/**
 * The callback shape the inline provider (or its wrapper) asks before any request: cheap, sync,
 * never throws. `explicit` is true for commands the user ran (Complete at Cursor, Show
 * Alternatives): they ignore the on/off switches but never the exclusion list.
 */
export type ShouldRequest = (document: vscode.TextDocument, options?: { explicit?: boolean }) => GateVerdict;

/** Documents that are not the user's code: the output panel, the debug console. */
const IGNORED_SCHEMES = new Set(['output', 'debug', 'vscode-scm', 'git', 'infill-report']);

/** File systems that ignore case make `SECRETS/` as secret as `secrets/`. */
const CASE_INSENSITIVE_FS = process.platform === 'win32' || process.platform === 'darwin';

export class RequestGate {
  private matcher: ExclusionMatcher | undefined;
  private matcherKey = '';

  constructor(
    private readonly settingsFor: (document: vscode.TextDocument) => InfillSettings = (d) => readSettings(d),
  ) {}

  readonly shouldRequest: ShouldRequest = (document, options = {}) => {
    try {
      return this.check(document, this.settingsFor(document), options.explicit === true);
    } catch (err) {
      // A broken setting must cost the suggestion, not the editor; and when in doubt, send nothing.
      return {
        allowed: false,
        scope: 'global',
        reason: vscode.l10n.t('the settings could not be read: {0}', err instanceof Error ? err.message : String(err)),
      };
    }
  };

  /** True when `infill.exclude` matches the document. */
  isExcluded(document: vscode.TextDocument, settings: InfillSettings = this.settingsFor(document)): boolean {
    return this.isExcludedUri(document.uri, settings);
  }

  /** The same check for a file not opened (yet): context sources ask before reading it. */
  isExcludedUri(uri: vscode.Uri, settings: InfillSettings): boolean {
    const matcher = this.matcherFor(settings.exclude);
    const relativePath = uri.scheme === 'untitled' ? undefined : vscode.workspace.asRelativePath(uri, false);
    return matcher.matches({
      path: uri.scheme === 'file' ? uri.fsPath : uri.path,
      ...(relativePath ? { relativePath } : {}),
    });
  }

  private check(document: vscode.TextDocument, settings: InfillSettings, explicit: boolean): GateVerdict {
    if (IGNORED_SCHEMES.has(document.uri.scheme))
      return {
        allowed: false,
        scope: 'editor',
        reason: vscode.l10n.t('{0} documents are never sent', document.uri.scheme),
      };
    if (this.isExcluded(document, settings)) {
      return {
        allowed: false,
        scope: 'file',
        reason: vscode.l10n.t(
          '{0} matches infill.exclude; nothing is sent',
          vscode.workspace.asRelativePath(document.uri),
        ),
      };
    }
    if (explicit) return { allowed: true };
    if (!settings.enable)
      return { allowed: false, scope: 'global', reason: vscode.l10n.t('Infill is turned off (infill.enable)') };
    if (!isLanguageEnabled(settings.languages, document.languageId)) {
      return {
        allowed: false,
        scope: 'language',
        reason: vscode.l10n.t('{0} is turned off in infill.languages', document.languageId),
      };
    }
    if (!vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true)) {
      return { allowed: false, scope: 'editor', reason: vscode.l10n.t('editor.inlineSuggest.enabled is off') };
    }
    return { allowed: true };
  }

  private matcherFor(patterns: readonly string[]): ExclusionMatcher {
    const key = JSON.stringify(patterns);
    if (!this.matcher || key !== this.matcherKey) {
      this.matcher = new ExclusionMatcher(patterns, { caseInsensitive: CASE_INSENSITIVE_FS });
      this.matcherKey = key;
    }
    return this.matcher;
  }

  /** Patterns in `infill.exclude` that are not valid globs (reported once in the log). */
  invalidPatterns(settings: InfillSettings): string[] {
    return this.matcherFor(settings.exclude).invalidPatterns;
  }
}
