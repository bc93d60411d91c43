import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CALLER_IDS, CALLERS, ROWS, rowKey } from './table';

export const ACCESS_DOC = resolve(import.meta.dirname, '..', '..', 'docs', 'access.md');

const INTRO = `# Who may call what

Generated from [\`test/access/table.ts\`](../test/access/table.ts) by \`npx tsx test/access/render.ts\`; do not edit
by hand. [\`test/access-table.test.ts\`](../test/access-table.test.ts) sends every cell as a real request to the running
backbone and pins its status and problem code, finds every route of every service from its OpenAPI
document (\`/docs/json\`), fails when a route has no row, and fails when this file differs from what
the table renders.

## The rules

- **Credentials say who calls.** An API key binds an organisation, a system, the catalogue services
  the system acts for, and roles; nothing in a request widens it. No key, an expired key or a revoked
  key gets \`401 NOT_AUTHENTICATED\` on every keyed route, before anything else is looked at.
- **Access per service, not per organisation** (referral API, \`domain/referral-access.ts\`). A
  recipient key reads a referral's status and details only when it acts for a service the referral was
  routed to: the lead or a co-worker of any \`routed\` event (the guidance coordinator's route after a
  missed deadline is one too), or the service it was forwarded or delivered to. When the key's
  organisation is a recipient only through services the key does not act for (another service of the
  same wellbeing area), the answer is \`403 NOT_FOR_YOUR_SERVICE\`; when the organisation is no
  recipient at all, \`403 NOT_A_RECIPIENT\`. A details refusal past the role check is written to the
  disclosure log (\`recipient-not-covered\`); the consent service is then not asked. A key acting for
  several routed services is decided for each (the decision allowing most categories wins).
- **Submitters** (role \`submitter\`) read the status of what their organisation submitted, never its
  details: they hold them already. \`referral.submitted.v1\` names the organisation, not the system, so
  the organisation is the finest grain the status knows; a submitting system that must be told apart
  needs a \`referral.submitted.v2\` carrying its system.
- **Operators** read every status, never details (\`403 DETAILS_NOT_FOR_OPERATORS\`, answered before the
  referral is looked up, also for a key that holds the recipient role beside operator).
- **Auditors** read the disclosure log; the **resident e-service** acts for a person only with its
  signed assertion, and then only for that person or their child (the table's resident column asks
  about someone else's data, so it shows the refusals); the e-service's trust is in [keys.md](keys.md);
  **backbone** keys ask the consent service for decisions.
- **The console's pages** (\`/ui/\`) take no key: people sign in through their organisation's identity
  provider with a second factor, and their directory groups make them operators or auditors
  ([console.md](console.md)). The session cookie says who calls and its CSRF token guards every form;
  a key without a session gets what anyone without one gets (\`303\` on to the sign-in page), and the
  API routes do not take a session (\`401 NOT_AUTHENTICATED\`).
- A refused call answers \`application/problem+json\` with a stable \`code\` ([errors.md](errors.md)) and
  logs only ids, organisation, system and code: never an identity code, name or free text.
- Fastify answers \`HEAD\` for every \`GET\` route with the same checks; those rows are not repeated.

## Adding a route

One row in \`test/access/table.ts\` (\`keyed(...)\` for a route behind a key, \`open(...)\` for a public one)
and one probe with the same key (\`<service> <METHOD> <path>\`) in \`test/access/probes.ts\`; then
\`npx tsx test/access/render.ts\` rewrites this file. A new service of the launcher is covered as soon
as it runs: its routes fail the test until they have rows (one that listens for no HTTP at all goes
into \`NO_HTTP\` of the test instead).

## The table

Columns: ${CALLER_IDS.map((id) => `**${id}**: ${CALLERS[id]}`).join('; ')}.
`;

export function renderAccessTable(): string {
  const header = `| Route | Own means | ${CALLER_IDS.join(' | ')} | Note |`;
  const rule = `|${' --- |'.repeat(CALLER_IDS.length + 3)}`;
  const lines = ROWS.map((row) => {
    const cells = row.public ? CALLER_IDS.map(() => `public ${row.cells['no-key']}`) : CALLER_IDS.map((id) => row.cells[id]);
    return `| \`${rowKey(row)}\` | ${row.own} | ${cells.join(' | ')} | ${row.note ?? ''} |`;
  });
  return `${INTRO}\n${header}\n${rule}\n${lines.join('\n')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const text = renderAccessTable();
  if (process.argv.includes('--check')) {
    const same = readFileSync(ACCESS_DOC, 'utf8') === text;
    if (!same) console.error('docs/access.md is stale: run npx tsx test/access/render.ts');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(ACCESS_DOC, text);
}
