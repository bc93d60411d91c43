// `npm run rebuild -- <projection>`: empties one read model and lets it replay the topics from the
// start, while everything runs; `npm run rebuild` alone lists the projections. The database is
// DATABASE_URL, else the one `npm start` uses.
import { createDatabase } from '@polku/db';
import { ensurePostgres, loadInfraConfig } from '@polku/infra';
import { listProjections, rebuild } from '@polku/projection';
import { createLogger } from '@polku/service-kit';

const say = (line: string) => process.stdout.write(`${line}\n`);
const name = process.argv[2];
const { url } = await ensurePostgres(loadInfraConfig(), (line) => process.stderr.write(`[infra] ${line}\n`));
const db = createDatabase({ url, applicationName: 'rebuild', logger: createLogger({ service: 'rebuild', level: 'warn' }), timeoutMs: 60_000 });
try {
  const projections = await listProjections(db);
  if (!name) {
    say('projections (npm run rebuild -- <name> empties one and replays its topics):');
    for (const p of projections) say(`  ${p.name.padEnd(24)} generation ${p.generation}, ${p.applied} records applied, tables ${p.tables.join(', ')}${p.rebuiltAt ? `, last rebuilt ${p.rebuiltAt.toISOString()}` : ''}`);
  } else if (!projections.some((p) => p.name === name)) {
    say(`no projection "${name}"; known: ${projections.map((p) => p.name).join(', ') || 'none yet (each registers when its service first starts)'}`);
    process.exitCode = 2;
  } else {
    const generation = await db.transaction((tx) => rebuild(tx, name));
    say(`${name}: emptied, now generation ${generation}; its services replay the topics from the start within a few seconds (npm run rebuild shows the progress)`);
  }
} finally {
  await db.close();
}
