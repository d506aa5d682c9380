/**
 * HTTP to the completion server: one undici Pool per origin with keep-alive and HTTP/2, warm spare
 * connections so a request never waits for a handshake, proxy and CA settings, timeouts, when a
 * failed request is tried again, and how fast each server evaluates prompts. Nothing here knows
 * what a completion is; a change to how bytes reach the server goes here.
 */
export * from './exchangeControl';
export * from './httpTransport';
export * from './promptSpeed';
export * from './proxyConfig';
export * from './responseBody';
export * from './retryPolicy';
export * from './transportErrors';
export * from './transportSettings';
export * from './undiciLoader';
export * from './warmSpareConnector';
