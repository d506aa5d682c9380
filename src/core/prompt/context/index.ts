/**
 * Context from outside the window: the types, the budget split by source, the block's layout and
 * order, the pure parts of gathering (names at the cursor, declarations, the edit history) and the
 * gatherer that asks the language server through the glue.
 */
export * from './contextAssembly';
export * from './contextBudget';
export * from './contextGatherer';
export * from './contextLayout';
export * from './contextTypes';
export * from './cursorSymbols';
export * from './declarations';
export * from './recentEdits';
