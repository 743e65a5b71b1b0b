// `npm run docs:transcripts`: runs the walkthrough of docs/profile-api.md against the service,
// started as `npm start` starts it, and writes what it printed between the document's markers.
// `-- --check` writes nothing and fails when the document differs from a fresh run in anything but
// ids, times, tokens, cursors and counters.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { normalized } from './render.ts';
import { startService } from './service-process.ts';
import { walkthrough } from './walkthrough.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENT = `${ROOT}docs/profile-api.md`;
const BEGIN = '<!-- transcripts:begin (npm run docs:transcripts writes this part) -->';
const END = '<!-- transcripts:end -->';

function fail(message: string): never {
  process.stderr.write(`docs:transcripts: ${message}\n`);
  process.exit(1);
}

const check = process.argv.includes('--check');
const document = readFileSync(DOCUMENT, 'utf8');
const begin = document.indexOf(BEGIN);
const end = document.indexOf(END);
if (begin === -1 || end < begin) fail(`docs/profile-api.md has no ${BEGIN} ... ${END} section`);

const service = await startService(ROOT);
let generated: string;
try {
  generated = await walkthrough(service);
} catch (error) {
  await service.stop();
  fail(error instanceof Error ? error.message : String(error));
}
await service.stop();

// Formatted as `npm run lint` wants it, so a fresh write passes prettier --check as it stands.
const options = await resolveConfig(DOCUMENT, { editorconfig: false });
const updated = await format(
  `${document.slice(0, begin + BEGIN.length)}\n\n${generated}\n\n${document.slice(end)}`,
  { ...options, filepath: DOCUMENT },
);
if (check) {
  if (normalized(updated) !== normalized(document)) {
    fail('docs/profile-api.md does not show what the service answers now: run npm run docs:transcripts');
  }
  process.stdout.write('docs/profile-api.md transcripts are current\n');
} else {
  writeFileSync(DOCUMENT, updated);
  process.stdout.write('wrote docs/profile-api.md transcripts\n');
}
