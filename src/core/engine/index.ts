/**
 * One keystroke's path: the controller (debounce, gates, the cache, joining a running stream,
 * speculation), the engine that prepares and runs one completion, and the one-shot requests of the
 * commands. A change to when Infill asks, or how it reuses an answer, goes here.
 */
export * from './cachedAnswers';
export * from './commandRequest';
export * from './completionCache';
export * from './completionController';
export * from './controllerTypes';
export * from './completionEngine';
export * from './debouncePolicy';
export * from './inFlightRequests';
export * from './languageGate';
export * from './speculation';
export * from './triggerGate';
export * from './promptSpeed';
