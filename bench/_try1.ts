import { loadCorpus } from './benchDocuments';
import { measureClientOverhead } from './clientOverhead';
import { controllerProvider } from './providerUnderTest';
import { formatTable } from './report';
void (async () => {
  const t = Date.now();
  const r = await measureClientOverhead({ corpus: loadCorpus()[0]!, makeProvider: () => controllerProvider(), rounds: 5, samplesPerRound: 30, lineCounts: [100, 10_000, 100_000] });
  console.log(formatTable(r.rows));
  for (const row of r.rows) console.log(row.note);
  console.log(Date.now() - t, 'ms');
})();
