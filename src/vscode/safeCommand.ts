import * as vscode from 'vscode';
import { isInfillError } from '../core/infillError';
import { redactText } from '../core/policy/redaction';

/**
 * Registers a command whose failures end as a message and a log line, never as an exception in
 * VS Code: a command that throws shows a bare stack-less error toast and leaves no trace in our log.
 */
export function registerSafeCommand(
  id: string,
  handler: (...args: unknown[]) => unknown,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      // Messages can carry a server's words; known key shapes are cut out before anyone sees them.
      const message = redactText(err instanceof Error ? err.message : String(err));
      log.error(`${id} failed: ${err instanceof Error && !isInfillError(err) ? (err.stack ?? message) : message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Infill: {0}', message), vscode.l10n.t('Show Log')).then(
        (choice) => {
          if (choice) log.show(true);
        },
        () => undefined,
      );
      return undefined;
    }
  });
}
