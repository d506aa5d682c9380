import { loadCorpus } from './benchDocuments';
import { replayTyping } from './typingSession';
void (async () => {
  const files = loadCorpus();
  const variant = process.argv[2] ?? 'auto';
  const client = variant === 'naive' ? { kind: 'naive' as const } : { kind: 'infill' as const, settings: { debounceMs: variant === 'auto' ? ('auto' as const) : Number(variant) } };
  const r = await replayTyping({ file: files[0]!, client, timeScale: 4, seed: 1, timeToFirstTokenMs: 200, tokenDelayMs: 20, maxChars: 1500 });
  const { shown, ...rest } = r;
  console.log(rest);
  const net = shown;
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  console.log('sources', shown.reduce((m, s) => ({ ...m, [s.source]: (m[s.source] ?? 0) + 1 }), {} as Record<string, number>));
  console.log('latency net', mean(net.map((s) => s.latencyMs)).toFixed(0), 'server', mean(net.map((s) => s.serverMs!)).toFixed(0), 'all', mean(shown.map((s) => s.latencyMs)).toFixed(0));
  console.log('req/char', (r.requests / r.keystrokes).toFixed(3), 'tokens gen/shown', (r.tokensGenerated / r.tokensShown).toFixed(2));
})();
