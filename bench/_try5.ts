import { measureMemory } from './memory';
import { formatTable } from './report';
void (async () => {
  const t = Date.now();
  const r = await measureMemory({ requests: 10000, checkpointEvery: 1000, runs: 1 });
  console.log(formatTable(r.rows));
  console.log(JSON.stringify(r.detail));
  console.log(Date.now() - t, 'ms');
})();
