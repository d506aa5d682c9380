/**
 * When to ask at all. In the middle of a line a suggestion can only fit if what follows the cursor
 * is closing punctuation (`)`, `]`, `}`, quotes, `;`, `,`, `:`) and whitespace: inside a word or
 * before more code, Infill waits. An explicit request (Invoke) always asks.
 */
export const CLOSING_ONLY = /^[\s)\]}"'`;,:]*$/;

export type GateVerdict = { ask: true } | { ask: false; reason: string };

export function midLineGate(lineSuffix: string, trigger: 'automatic' | 'invoke'): GateVerdict {
  if (trigger === 'invoke') return { ask: true };
  if (CLOSING_ONLY.test(lineSuffix)) return { ask: true };
  const shown = lineSuffix.trim().slice(0, 20);
  return {
    ask: false,
    reason: `mid-line: the text after the cursor ("${shown}${lineSuffix.trim().length > 20 ? '…' : ''}") is not closing punctuation`,
  };
}
