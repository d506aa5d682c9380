import { CLOSERS, emptyState, OPENERS, scanCode } from '../stream/codeShape';
import type { PostprocessContext } from './types';

/** What the completion does to the brackets around the cursor. */
export interface BracketFacts {
  /** Closers (and quotes, in code) that close what was open before the completion, in order. */
  closedOuter: string[];
  /** The completion opens brackets it does not close. */
  leavesOpen: boolean;
  /** Brackets opened on the cursor's line before the cursor and still open. */
  openOnLine: number;
}

/**
 * In code, the scanner's answer. In a comment or a string (a docstring, `// see f(`), the scanner
 * rightly sees no brackets, yet prose has them too and models close them again: there they are
 * matched as plain characters on the cursor's line.
 */
export function bracketFacts(text: string, ctx: PostprocessContext): BracketFacts {
  return cursorInProse(ctx) ? proseBrackets(ctx.linePrefix, text) : codeBrackets(text, ctx);
}

function codeBrackets(text: string, ctx: PostprocessContext): BracketFacts {
  const scan = scanCode(text, ctx.plan.prefixState, ctx.languageId);
  const line = scanCode(ctx.linePrefix, undefined, ctx.languageId);
  return {
    closedOuter: scan.closedOuter,
    leavesOpen: scan.stack.length > scan.lowWater,
    openOnLine: line.stack.filter((s) => OPENERS[s]).length,
  };
}

function cursorInProse(ctx: PostprocessContext): boolean {
  const state = ctx.plan.prefixState;
  const top = state.stack[state.stack.length - 1];
  // One-line strings are left to the scanner: completions mostly close them (`"Obj: ` + `", obj)`).
  if (state.inBlockComment || top === '"""' || top === "'''" || top === '`') return true;
  // A line comment before the cursor: a bracket typed there is swallowed by it (and not by a string).
  const line = scanCode(ctx.linePrefix, emptyState(), ctx.languageId).stack;
  if (line.length > 0 && !OPENERS[line[line.length - 1]!]) return false;
  const probe = scanCode(ctx.linePrefix + '(', emptyState(), ctx.languageId);
  return probe.stack[probe.stack.length - 1] !== '(';
}

function proseBrackets(linePrefix: string, text: string): BracketFacts {
  const outer: string[] = [];
  for (const ch of linePrefix) {
    if (OPENERS[ch]) outer.push(ch);
    else if (CLOSERS[ch] && outer[outer.length - 1] === CLOSERS[ch]) outer.pop();
  }
  const openOnLine = outer.length;
  const own: string[] = [];
  const closedOuter: string[] = [];
  for (const ch of text) {
    if (ch === '\n') break;
    if (OPENERS[ch]) own.push(ch);
    else if (CLOSERS[ch]) {
      if (own.length > 0) {
        if (own[own.length - 1] === CLOSERS[ch]) own.pop();
      } else if (outer[outer.length - 1] === CLOSERS[ch]) {
        outer.pop();
        closedOuter.push(ch);
      } else break;
    }
  }
  return { closedOuter, leavesOpen: own.length > 0, openOnLine };
}
