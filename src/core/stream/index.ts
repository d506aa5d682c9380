/**
 * While tokens arrive: the stop rules that decide where a completion ends (the plan: one line or a
 * block; the block end; the stream adapter that closes the stream the moment it is complete), the
 * lexical code facts they share with post-processing, and streaming a growing completion into a
 * document.
 */
export * from './blockEnd';
export * from './codeShape';
export * from './completionPlan';
export * from './lexicalState';
export * from './streamInsertion';
export * from './streamStopper';
