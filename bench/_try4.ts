import { measureActivation } from './activation';
import { formatTable } from './report';
void (async () => {
  const t = Date.now();
  const r = await measureActivation({ repoRoot: process.cwd(), samples: 10 });
  console.log(formatTable(r.rows));
  for (const row of r.rows) console.log(row.note);
  console.log(JSON.stringify(r.detail).slice(0, 3000));
  console.log(Date.now() - t, 'ms');
})();
