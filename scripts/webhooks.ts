// `npm run webhooks -- <command>`: the Pix webhook notifications that were given up on (docs/events.md).
//   dead                     the dead-lettered events, oldest first, with why they died
//   retry <event id>         puts one dead event back in the queue, with a fresh count of attempts
//   retry --all-dead         puts every dead event back
//   --json                   with any of them: one JSON document on stdout, for scripts
// Reads the same environment as the service. A running relay picks re-queued events up at its next
// poll (PIX_WEBHOOK_POLL_INTERVAL).
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config/config-error.ts';
import { loadConfig } from '../src/config/config.ts';
import { readEnvironment } from '../src/config/read-environment.ts';
import { systemClock } from '../src/platform/clock.ts';
import { listDeadEvents, requeueDeadEvents } from '../src/payment/persistence/sql-dead-letters.ts';
import { openOperatorDatabase } from './operator-database.ts';

const USAGE = `usage: npm run webhooks -- <command> [--json]
  dead                    list the dead-lettered events
  retry <event id>        re-queue one dead event
  retry --all-dead        re-queue every dead event
  --json: print one JSON document on stdout instead of text`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LISTED_AT_MOST = 1000;

/** Exit codes: 0 done, 1 it could not be done, 2 the command line is wrong. */
class UsageError extends Error {}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') throw new UsageError('no command');
  if (!['dead', 'retry'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { 'all-dead': { type: 'boolean' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const all = values['all-dead'] === true;
  if (command === 'dead' && (positionals.length > 0 || all)) throw new UsageError('dead takes no arguments');
  if (command === 'retry') {
    if (all === positionals.length > 0 || positionals.length > 1)
      throw new UsageError('retry needs exactly one event id, or --all-dead');
    if (!all && !UUID.test(positionals[0]!)) throw new UsageError(`"${positionals[0]}" is not an event id`);
  }

  const config = loadConfig(readEnvironment(process.env));
  const db = await openOperatorDatabase(config);
  try {
    if (command === 'dead') {
      const dead = await listDeadEvents(db.writer(), LISTED_AT_MOST);
      if (json) {
        out(JSON.stringify(dead, null, 2));
        return;
      }
      for (const event of dead) {
        const died = event.diedAt?.toISOString() ?? '';
        out(
          [
            event.id,
            event.type,
            event.ownerId,
            event.key ?? '',
            event.attempts,
            died,
            event.lastError ?? '',
          ].join('\t'),
        );
      }
      return;
    }
    const id = positionals[0];
    const requeued = await requeueDeadEvents(
      db.writer(),
      id === undefined ? { all: true } : { id },
      systemClock.now(),
    );
    if (id !== undefined && requeued === 0) {
      process.stderr.write(`webhooks: no dead event ${id}\n`);
      process.exitCode = 1;
      return;
    }
    if (json) out(JSON.stringify({ requeued }));
    else out(`re-queued ${requeued} event${requeued === 1 ? '' : 's'}`);
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`webhooks: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`webhooks: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`webhooks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
});
