// Regenerates the table in docs/errors.md from the catalogue: `npx tsx scripts/gen-error-docs.ts`.
import { writeFileSync } from 'node:fs';
import { catalogue, errorCodes } from '@vigil/errors';

const rows = errorCodes.map((code) => `| \`${code}\` | ${catalogue[code].status} | ${catalogue[code].retriable ? 'yes' : 'no'} | ${catalogue[code].doc} |`);
const doc = `# Error codes

Every error Vigil returns, or records in a dead-letter envelope, has one of these codes.
Responses look like \`{"error": {"code": "...", "message": "...", "path": "..."}}\`; \`path\`
names the offending field when there is one. Messages never contain internals or stack traces.
"Retriable" means the same request may succeed later (honour \`Retry-After\` when present).

| code | HTTP status | retriable | meaning |
|---|---|---|---|
${rows.join('\n')}

The table is generated from \`packages/errors/src/catalogue.ts\`
(\`npx tsx scripts/gen-error-docs.ts\`); a unit test fails when a code is missing here.
`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), doc);
