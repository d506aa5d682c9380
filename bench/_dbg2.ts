import { prepareCompletion } from '../src/core/completionEngine';
import { documentOfLines, loadCorpus } from './benchDocuments';
import { benchSettings } from './benchSettings';
import { assemblePrompt } from '../src/core/promptAssembler';
import { resolveProvider } from '../src/core/providerPresets';
import { buildPostprocessContext } from '../src/core/postprocess/context';
const document = documentOfLines(loadCorpus()[0]!, 10000);
const settings = benchSettings('http://127.0.0.1:1/v1', { debounceMs: 0, speculative: 'off' });
const endpoint = { baseUrl: 'http://127.0.0.1:1/v1', endpointPath: '/completions' };
for (let round = 0; round < 3; round++) {
  const times: Record<string, number[]> = { prepare: [], resolve: [], assemble: [], context: [], stringify: [] };
  for (let i = 0; i < 200; i++) {
    const line = 5000 + i;
    const position = { line, character: document.lineText(line).length };
    let t = performance.now();
    const p = prepareCompletion({ document, position, settings, endpoint });
    times.prepare!.push(performance.now() - t);
    t = performance.now();
    const provider = resolveProvider(settings);
    times.resolve!.push(performance.now() - t);
    t = performance.now();
    const a = assemblePrompt({ document, position, settings, provider });
    times.assemble!.push(performance.now() - t);
    t = performance.now();
    buildPostprocessContext(a.window, { languageId: 'python', maxLines: 16, multiline: 'auto' });
    times.context!.push(performance.now() - t);
    t = performance.now();
    JSON.stringify(p.built.body);
    times.stringify!.push(performance.now() - t);
  }
  console.log(Object.entries(times).map(([k, v]) => `${k} p50 ${v.sort((a, b) => a - b)[100]!.toFixed(3)} p95 ${v[190]!.toFixed(3)}`).join(' | '));
}
