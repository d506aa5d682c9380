import { sharedClockMs, startTokenServer } from '../test/fixtures/scriptedServer';
import { documentOfLines, loadCorpus } from './benchDocuments';
import { benchSettings } from './benchSettings';
import { controllerProvider } from './providerUnderTest';
void (async () => {
  const server = await startTokenServer({ timeToFirstTokenMs: 10, tokenDelayMs: 3, answer: () => ['total', ' +=', ' amount', '\n', '    return', ' total', '\n'] });
  const p = controllerProvider();
  const document = documentOfLines(loadCorpus()[0]!, 1000);
  for (let i = 0; i < 6; i++) {
    const line = 500 + i;
    server.clearExchanges();
    const t0 = sharedClockMs();
    const a = await p.provide({ document, position: { line, character: document.lineText(line).length }, settings: benchSettings(server.baseUrl, { debounceMs: 0, speculative: 'off' }), endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' }, trigger: 'invoke' });
    const t1 = sharedClockMs();
    const e = server.exchanges[0]!;
    console.log(JSON.stringify(document.lineText(line)), JSON.stringify(a.suggestions[0]?.insertText), a.decision.shape, a.decision.stopRule, a.decision.endedEarly, 'written', e.tokenWrittenAt.length, 'tail from each token', e.tokenWrittenAt.map((w) => (t1 - w).toFixed(1)).join(' '), 'first byte', (e.receivedAt - t0).toFixed(2));
    await p.controller.whenIdle(); await server.idle();
  }
  await p.close(); await server.close();
})();
