/**
 * After the answer: the filters that turn raw model text into exactly what the file still needs
 * (nothing already there, nothing twice, the document's indentation and line endings), and the ranking
 * of several choices. A rule about what is shown goes here.
 */
export * from './bracketBalance';
export * from './choiceRanking';
export * from './codeFence';
export * from './context';
export * from './degenerateRepetition';
export * from './emptyOrRepeated';
export * from './indentation';
export * from './leadingWhitespace';
export * from './nextLineDuplicate';
export * from './normalizeInput';
export * from './pipeline';
export * from './proseBrackets';
export * from './suffixOverlap';
export * from './trailingWhitespace';
export * from './truncateToPlan';
export * from './types';
