/**
 * What Infill knows about each server it names (presets: base URL, endpoint, which parameters it
 * honours) and the fill-in-the-middle templates of the code models it knows. A new relay, local server
 * or model family goes here.
 */
export * from './fimTemplates';
export * from './providerPresets';
export * from './repoLayouts';
