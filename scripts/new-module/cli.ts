// `npm run new:module -- <name> [--resource <singular>] [--plural <plural>]`: a complete module in
// one command (docs/extending.md). Exit codes: 0 made, 1 refused (a name or file clashes; nothing
// written), 2 usage.
import path from 'node:path';
import { runCli as runCodegen } from '../openapi-gen/cli.ts';
import { defaultResourceName, pluralOf, type ModuleNames } from './module-names.ts';
import { RegistrationError } from './registrations.ts';
import { applyPlan, planModule, ScaffoldError } from './scaffold.ts';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface CliOptions {
  /** The migration's version comes from it; the real time by default. */
  now?: Date;
}

const USAGE =
  'usage: npm run new:module -- <name> [--resource <singular>] [--plural <plural>] [--root <repository>]\n' +
  '  <name>      the module: a lower-case identifier (inventory); also its API name and scope prefix\n' +
  '  --resource  the resource, singular (item); by default the name without a plural s\n' +
  '  --plural    the collection (items): the path /v1/<plural> and the table; by default the English plural';

interface Arguments {
  names: ModuleNames;
  root: string;
}

function parseArguments(args: readonly string[], cwd: string): Arguments | string {
  let module: string | undefined;
  let resource: string | undefined;
  let resources: string | undefined;
  let root = cwd;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = args[i + 1];
    if (['--resource', '--plural', '--root'].includes(arg)) {
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
      i += 1;
      if (arg === '--resource') resource = value;
      else if (arg === '--plural') resources = value;
      else root = path.resolve(cwd, value);
    } else if (arg.startsWith('-')) {
      return `unknown option '${arg}'`;
    } else if (module === undefined) {
      module = arg;
    } else {
      return `unexpected argument '${arg}' (one module at a time)`;
    }
  }
  if (module === undefined) return 'no module name given';
  const singular = resource ?? defaultResourceName(module);
  return { names: { module, resource: singular, resources: resources ?? pluralOf(singular) }, root };
}

export async function runCli(
  args: readonly string[],
  cwd: string,
  io: CliIo,
  options: CliOptions = {},
): Promise<number> {
  const parsed = parseArguments(args, cwd);
  if (typeof parsed === 'string') {
    io.err(`new:module: ${parsed}\n${USAGE}`);
    return 2;
  }
  const { names, root } = parsed;
  let plan;
  try {
    plan = await planModule(root, names, options.now ?? new Date());
  } catch (error) {
    if (!(error instanceof ScaffoldError) && !(error instanceof RegistrationError)) throw error;
    for (const line of error.message.split('\n')) io.err(`new:module: ${line}`);
    io.err('new:module: nothing was written');
    return 1;
  }
  await applyPlan(root, plan);

  const { module, resource, resources } = names;
  io.out(`new:module: module ${module}, resource ${resource}, collection /v1/${resources}`);
  io.out(`  scopes ${module}.read ${module}.write, table ${resources}`);
  for (const file of plan.created) io.out(`  created    ${file.path}`);
  for (const file of plan.registered) {
    for (const line of file.lines) io.out(`  registered ${file.path}: ${line}`);
  }
  io.out('new:module: npm run gen');
  const generated = await runCodegen(['--root', root], cwd, {
    out: (line) => io.out(`  ${line}`),
    err: (line) => io.err(`  ${line}`),
  });
  if (generated !== 0) {
    io.err('new:module: the module was written but npm run gen failed (above)');
    return 1;
  }
  io.out(
    'new:module: done. Check it: npm run gen:check && npm run lint && npm run typecheck && ' +
      `npx vitest run src/${module}; then npm start and call /v1/${resources} (docs/${module}-api.md)`,
  );
  return 0;
}
