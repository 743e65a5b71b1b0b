// Plans a new module (every file and registration line, checked against the repository) and then
// writes it. Nothing is written unless the whole plan holds: a name that clashes, or a file that
// already exists, stops it with the reason.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';
import {
  migrationTimestamp,
  nameProblem,
  placeholdersFor,
  type ModuleNames,
  type Placeholders,
} from './module-names.ts';
import { register, REGISTRATIONS } from './registrations.ts';
import { renderTemplate } from './render-template.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('templates/', import.meta.url));

/** A refusal the user can act on: the message says what and why. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

export interface PlannedFile {
  /** Relative to the repository, with forward slashes. */
  path: string;
  content: string;
}

export interface ScaffoldPlan {
  names: ModuleNames;
  created: PlannedFile[];
  /** Existing files with their registration lines added, and those lines. */
  registered: (PlannedFile & { lines: string[] })[];
}

/** Every template file, relative to the templates folder. */
async function templateFiles(dir = TEMPLATES_DIR, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) files.push(...(await templateFiles(path.join(dir, entry.name), `${relative}/`)));
    else if (entry.name.endsWith('.tmpl')) files.push(relative);
  }
  return files.sort();
}

/** The repository's own formatting, so generated files pass `prettier --check` whatever the names' lengths. */
async function formatted(root: string, file: string, content: string): Promise<string> {
  if (!/\.(ts|ya?ml|md)$/.test(file)) return content;
  const config = path.join(root, '.prettierrc.json');
  const options = existsSync(config) ? await resolveConfig(config, { config, editorconfig: false }) : {};
  return format(content, { ...options, filepath: path.join(root, file) });
}

async function readText(root: string, file: string): Promise<string> {
  return readFile(path.join(root, file), 'utf8').catch(() => '');
}

/** Every way the names could clash with what the repository already has; empty when none. */
async function clashes(root: string, names: ModuleNames): Promise<string[]> {
  const { module, resources } = names;
  const found: string[] = [];
  const codegen = parse(await readText(root, 'oapi/codegen.yaml')) as { apis?: { name?: string }[] } | null;
  const apiNames = (codegen?.apis ?? []).map((api) => api.name ?? '');
  if (apiNames.includes(module)) found.push(`oapi/codegen.yaml already lists an API named '${module}'`);
  const prefixed = apiNames.find((name) => name.startsWith(`${module}-`));
  if (prefixed) {
    found.push(
      `the API '${prefixed}' would count as part of module '${module}' (the import rules match api/${module}-*/)`,
    );
  }
  if (existsSync(path.join(root, 'src', module)))
    found.push(`src/${module}/ exists (a module or infrastructure folder)`);

  const contracts = (await readdir(path.join(root, 'oapi'))).filter((file) => /\.ya?ml$/.test(file));
  for (const file of contracts) {
    const text = await readText(root, `oapi/${file}`);
    if (new RegExp(`\\b${module}\\.(read|write)\\b`).test(text)) {
      found.push(`oapi/${file} already uses the scopes ${module}.read/${module}.write`);
    }
    if (new RegExp(`^\\s*/v1/${resources}(/|:)`, 'm').test(text)) {
      found.push(`oapi/${file} already has the path /v1/${resources}`);
    }
  }
  const migrations = existsSync(path.join(root, 'migrations'))
    ? await readdir(path.join(root, 'migrations'))
    : [];
  for (const file of migrations.filter((each) => each.endsWith('.sql'))) {
    const text = await readText(root, `migrations/${file}`);
    if (new RegExp(`CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${resources}\\b`, 'i').test(text)) {
      found.push(`migrations/${file} already creates a table ${resources}`);
    }
  }
  return found;
}

/** A migration version after every existing one, so dbmate applies it last. */
async function nextMigrationTimestamp(root: string, now: Date): Promise<string> {
  const dir = path.join(root, 'migrations');
  const versions = existsSync(dir)
    ? (await readdir(dir)).map((file) => /^(\d{14})_/.exec(file)?.[1]).filter((v) => v !== undefined)
    : [];
  let candidate = migrationTimestamp(now);
  const latest = versions.sort().at(-1);
  if (latest !== undefined && candidate <= latest) {
    const after = new Date(
      Date.UTC(
        +latest.slice(0, 4),
        +latest.slice(4, 6) - 1,
        +latest.slice(6, 8),
        +latest.slice(8, 10),
        +latest.slice(10, 12),
        +latest.slice(12, 14) + 1,
      ),
    );
    candidate = migrationTimestamp(after);
  }
  return candidate;
}

export function checkNames(names: ModuleNames): void {
  // A name derived from a refused one (the resource from the module, the plural from the resource)
  // is not reported again.
  const problems = [
    nameProblem('module', names.module),
    names.resource === names.module ? undefined : nameProblem('resource', names.resource),
    nameProblem('resource', names.resource) ? undefined : nameProblem('plural', names.resources),
  ].filter((problem) => problem !== undefined);
  if (names.resources === names.resource)
    problems.push(`the plural '${names.resources}' must differ from the resource name`);
  if (problems.length > 0) throw new ScaffoldError(problems.join('\n'));
}

/** What the module would add; ScaffoldError when a name is refused, clashes or a file exists. */
export async function planModule(root: string, names: ModuleNames, now: Date): Promise<ScaffoldPlan> {
  checkNames(names);
  const found = await clashes(root, names);
  if (found.length > 0) throw new ScaffoldError(found.join('\n'));

  const placeholders: Placeholders = placeholdersFor(names, await nextMigrationTimestamp(root, now));
  const created: PlannedFile[] = [];
  for (const template of await templateFiles()) {
    const file = renderTemplate(template.replace(/\.tmpl$/, ''), placeholders, template);
    const text = renderTemplate(
      await readFile(path.join(TEMPLATES_DIR, template), 'utf8'),
      placeholders,
      template,
    );
    created.push({ path: file, content: await formatted(root, file, text) });
  }
  const existing = created.filter((file) => existsSync(path.join(root, file.path)));
  if (existing.length > 0) {
    throw new ScaffoldError(
      `refusing to overwrite: ${existing.map((file) => file.path).join(', ')} already exist${existing.length === 1 ? 's' : ''}`,
    );
  }

  const registered = new Map<string, PlannedFile & { lines: string[] }>();
  for (const registration of REGISTRATIONS) {
    const planned = registered.get(registration.file) ?? {
      path: registration.file,
      content: await readText(root, registration.file),
      lines: [],
    };
    planned.content = register(planned.content, registration, placeholders);
    planned.lines.push(renderTemplate(registration.line, placeholders, registration.file).trim());
    registered.set(registration.file, planned);
  }
  return { names, created, registered: [...registered.values()] };
}

/** Writes the plan's files (new ones refused if they appeared meanwhile). */
export async function applyPlan(root: string, plan: ScaffoldPlan): Promise<void> {
  for (const file of plan.created) {
    const target = path.join(root, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content, { flag: 'wx' });
  }
  for (const file of plan.registered) await writeFile(path.join(root, file.path), file.content);
}
