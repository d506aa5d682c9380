import { sharedClockMs, startTokenServer } from '../test/fixtures/scriptedServer';
import { HttpTransport } from '../src/core/httpTransport';
import { requestCompletion } from '../src/core/completionClient';
import { prepareCompletion, executeCompletion } from '../src/core/completionEngine';
import { documentOfLines, loadCorpus } from './benchDocuments';
import { benchSettings } from './benchSettings';
import { controllerProvider } from './providerUnderTest';
void (async () => {
  const server = await startTokenServer({ answer: () => ['a', '\n', 'b'] });
  const t = new HttpTransport();
  const ep = { baseUrl: server.baseUrl, endpointPath: '/completions' };
  const document = documentOfLines(loadCorpus()[0]!, 10000);
  const settings = benchSettings(server.baseUrl, { debounceMs: 0, speculative: 'off' });
  const p = controllerProvider();
  for (let round = 0; round < 3; round++) {
    const res: Record<string, number[]> = { client: [], execute: [], controller: [] };
    for (let i = 0; i < 100; i++) {
      const line = 5000 + i + round * 100;
      const position = { line, character: document.lineText(line).length };
      server.clearExchanges();
      let t0 = sharedClockMs();
      await requestCompletion(t, ep, { model: 'm', prompt: 'x'.repeat(5000), stream: true });
      res.client!.push(server.exchanges[0]!.receivedAt - t0);
      await server.idle(); server.clearExchanges();
      t0 = sharedClockMs();
      const prepared = prepareCompletion({ document, position, settings, endpoint: ep });
      await executeCompletion(t, prepared);
      res.execute!.push(server.exchanges[0]!.receivedAt - t0);
      await server.idle(); server.clearExchanges();
      t0 = sharedClockMs();
      await p.provide({ document, position: { line: line + 1000, character: 0 }, settings, endpoint: ep, trigger: 'invoke' });
      res.controller!.push(server.exchanges[0]!.receivedAt - t0);
      await p.controller.whenIdle(); await server.idle();
    }
    console.log(Object.entries(res).map(([k, v]) => `${k} p50 ${v.sort((a, b) => a - b)[50]!.toFixed(3)} p95 ${v[95]!.toFixed(3)}`).join(' | '));
  }
  await t.close(); await p.close(); await server.close();
})();
