import type { PromptParts } from '../prompt/promptParts';
import type { ResolvedProvider } from '../providers/providerPresets';

/**
 * llama.cpp's own `/v1/completions` fields, for the `llamacpp` preset (a server of this year takes
 * them all and type-checks them; see README "Providers"):
 * - `cache_prompt: true`: reuse the slot's cached prompt; older servers default to false.
 * - `id_slot`: with `-np > 1` an unpinned request may land on a slot holding another prompt and
 *   evaluate everything again; each document keeps its own slot (slot 0 when the count is unknown).
 * - `t_max_predict_ms`: ghost text stops generating after this long once a line is complete; a
 *   suggestion that late is not read anyway. Commands, which insert what streams, get no limit.
 * - `n_indent`: at the start of a statement, a generated line indented less than the cursor's
 *   leaves the block, where the block rules stop reading; the server stops there too.
 */
export const GHOST_TEXT_MAX_PREDICT_MS = 1500;

export type RequestPurpose = 'ghostText' | 'command';

export function llamaCppFields(
  parts: PromptParts,
  provider: Pick<ResolvedProvider, 'learned'>,
  purpose: RequestPurpose,
): Record<string, unknown> {
  const fields: Record<string, unknown> = { cache_prompt: true, id_slot: slotFor(parts.documentKey, provider) };
  if (purpose === 'ghostText') fields.t_max_predict_ms = GHOST_TEXT_MAX_PREDICT_MS;
  if (parts.statementIndent !== undefined && parts.statementIndent > 0) fields.n_indent = parts.statementIndent;
  return fields;
}

function slotFor(documentKey: string | undefined, provider: Pick<ResolvedProvider, 'learned'>): number {
  const slots = provider.learned?.totalSlots ?? 1;
  if (slots <= 1 || documentKey === undefined) return 0;
  let hash = 0;
  for (let i = 0; i < documentKey.length; i++) hash = (Math.imul(hash, 31) + documentKey.charCodeAt(i)) >>> 0;
  return hash % slots;
}
