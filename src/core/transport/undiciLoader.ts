/**
 * undici takes most of the bundle's load time (about 60 ms on a 2-core machine), and VS Code
 * counts that against Infill's activation. Loading it on the first request instead keeps
 * startup fast; `import type` elsewhere keeps the types without the load.
 */
let loaded: typeof import('undici') | undefined;

export function undici(): typeof import('undici') {
  // A plain require inside a function: the bundler keeps the module's initialisation lazy.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: an import would load it at startup
  loaded ??= require('undici') as typeof import('undici');
  return loaded;
}
