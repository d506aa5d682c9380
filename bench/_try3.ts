import { measureConnections } from './connections';
import { controllerProvider } from './providerUnderTest';
import { formatTable } from './report';
void (async () => {
  const t = Date.now();
  const r = await measureConnections({ requests: 300, abortedShare: 0.7, runs: 2, gapAfterAbortMs: 25, makeProvider: (o) => controllerProvider(o) });
  console.log(formatTable(r.rows));
  for (const row of r.rows) console.log(row.note);
  console.log(Date.now() - t, 'ms');
})();
