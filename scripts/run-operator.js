// The operator commands behind `npm run clients`, `npm run db:migrate` and `npm run webhooks`. In a
// checkout with the development dependencies they run from the TypeScript sources through tsx; in a
// production install (no tsx, no sources) from the build in dist/. Either way in this one process, so
// a signal sent to it reaches the command. Plain JavaScript: it must run before anything is compiled.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const COMMANDS = {
  clients: 'scripts/clients',
  'db-migrate': 'scripts/db-migrate',
  webhooks: 'scripts/webhooks',
};
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const name = process.argv[2];
const entry = Object.hasOwn(COMMANDS, name ?? '') ? COMMANDS[name] : undefined;
if (entry === undefined) {
  process.stderr.write(`usage: node scripts/run-operator.js <${Object.keys(COMMANDS).join('|')}> [args]\n`);
  process.exit(2);
}
// The command reads its own arguments from argv[2] on, as when it is run directly.
process.argv.splice(2, 1);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return undefined;
  }
}

const source = join(root, `${entry}.ts`);
const tsx = existsSync(source) ? await loadTsx() : undefined;
if (tsx) {
  tsx.register();
  await import(pathToFileURL(source).href);
} else {
  const compiled = join(root, 'dist', `${entry}.js`);
  if (!existsSync(compiled)) {
    process.stderr.write(`${name}: ${compiled} is missing; run npm run build first\n`);
    process.exit(1);
  }
  await import(pathToFileURL(compiled).href);
}
