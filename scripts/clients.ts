// `npm run clients -- <command>`: the OAuth clients of the built-in token endpoint.
//   create --name <name> --scopes "<scope> ..."   prints the new client's id and secret, once
//   list                                         every client, revoked ones included; never secrets
//   revoke <id>                                  no new tokens; tokens already issued are refused
//   --json                                       with any of them: one JSON document on stdout, for scripts
// Reads the same environment as the service: the embedded database under DATA_DIR (only while the
// service is stopped: PGlite admits one process), or POSTGRES_PRIMARY_*.
import { parseArgs } from 'node:util';
import { createClientAdmin } from '../src/auth/create-auth.ts';
import { UnknownScopeError } from '../src/auth/domain/client-errors.ts';
import { parseScopeList } from '../src/auth/domain/oauth-client.ts';
import { ConfigError } from '../src/config/config-error.ts';
import { loadConfig } from '../src/config/config.ts';
import { readEnvironment } from '../src/config/read-environment.ts';
import { systemClock } from '../src/platform/clock.ts';
import { uuidV7Generator } from '../src/platform/ids.ts';
import { SERVICE_SCOPES } from '../src/service-catalog.ts';
import { openOperatorDatabase } from './operator-database.ts';

const USAGE = `usage: npm run clients -- <command> [--json]
  create --name <name> --scopes "<scope> ..."   (scopes: ${SERVICE_SCOPES.join(', ')})
  list
  revoke <client id>
  --json: print one JSON document on stdout instead of text`;

/** Exit codes: 0 done, 1 it could not be done, 2 the command line is wrong. */
class UsageError extends Error {}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function outJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') throw new UsageError('no command');
  if (!['create', 'list', 'revoke'].includes(command)) throw new UsageError(`unknown command "${command}"`);

  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const json = values.json === true;

  // Check the command line before touching the database.
  let scopes: string[] = [];
  if (command === 'create') {
    if (!values.name?.trim()) throw new UsageError('create needs --name');
    scopes = parseScopeList(values.scopes ?? '') ?? [];
    if (scopes.length === 0) throw new UsageError('create needs --scopes, e.g. --scopes "profile.read"');
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  } else if (command === 'revoke') {
    if (positionals.length !== 1) throw new UsageError('revoke needs exactly one client id');
  } else if (positionals.length > 0 || values.name !== undefined || values.scopes !== undefined) {
    throw new UsageError('list takes no arguments');
  }

  const config = loadConfig(readEnvironment(process.env));
  const db = await openOperatorDatabase(config);
  try {
    const admin = createClientAdmin({ db, clock: systemClock, ids: uuidV7Generator, scopes: SERVICE_SCOPES });
    if (command === 'create') {
      const { client, secret } = await admin.create(values.name!.trim(), scopes);
      if (json) {
        outJson({ client_id: client.id, client_secret: secret, name: client.name, scopes: client.scopes });
      } else {
        out(`client_id:     ${client.id}`);
        out(`client_secret: ${secret}`);
        out(`scopes:        ${client.scopes.join(' ')}`);
      }
      process.stderr.write('The secret is shown only now; only its hash is kept.\n');
    } else if (command === 'list') {
      const listed = await admin.list();
      if (json) {
        outJson(
          listed.map((client) => ({
            client_id: client.id,
            name: client.name,
            scopes: client.scopes,
            created_at: client.createdAt.toISOString(),
            revoked_at: client.revokedAt?.toISOString() ?? null,
          })),
        );
        return;
      }
      for (const client of listed) {
        const status = client.revokedAt ? `revoked ${client.revokedAt.toISOString()}` : 'active';
        out(
          [client.id, client.name, client.scopes.join(' '), client.createdAt.toISOString(), status].join(
            '\t',
          ),
        );
      }
    } else {
      const id = positionals[0]!;
      if (!(await admin.revoke(id))) {
        process.stderr.write(`clients: no client ${id}\n`);
        process.exitCode = 1;
        return;
      }
      if (json) outJson({ client_id: id, revoked: true });
      else out(`revoked ${id}`);
    }
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`clients: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError || error instanceof UnknownScopeError) {
    process.stderr.write(`clients: ${error.message}\n`);
    process.exitCode = error instanceof UnknownScopeError ? 2 : 1;
  } else {
    process.stderr.write(`clients: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
});
