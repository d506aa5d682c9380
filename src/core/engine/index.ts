/**
 * One keystroke's path: the controller (completionController.ts: the request flow, with the gate,
 * the cache and debounce), joining a running stream and abandoning one nobody waits for
 * (inFlightRequests.ts), the prefetch of what follows a shown suggestion (speculation.ts), the
 * engine that prepares and runs one completion (completionEngine.ts), and the commands' requests
 * and their post-processing (commandRequest.ts). A change to when Infill asks, or how it reuses an
 * answer, goes here.
 */
export * from './cachedAnswers';
export * from './commandRequest';
export * from './completionCache';
export * from './completionController';
export * from './controllerTypes';
export * from './completionEngine';
export * from './controllerTypes';
export * from './debouncePolicy';
export * from './inFlightRequests';
export * from './languageGate';
export * from './speculation';
export * from './triggerGate';
export * from './promptSpeed';
