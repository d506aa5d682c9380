/**
 * What the model sees: the window of text around the cursor cut to the token budget, context from
 * elsewhere (context/: definitions, imports, recent edits, open files, clipboard, within one budget),
 * and the assembly of both into `prompt` and `suffix` (or a model's FIM template).
 * A change to what goes into a request's text goes here.
 */
export * from './context';
export * from './openFilesContext';
export * from './promptAssembler';
export * from './promptParts';
export * from './promptWindow';
export * from './textDocumentLike';
