/** One dbmate migration file, parsed. */
export interface Migration {
  /** The leading digits of the file name, as dbmate records them in schema_migrations. */
  version: string;
  fileName: string;
  up: string;
  down: string;
  /** False when the up line says `transaction:false` (e.g. CREATE INDEX CONCURRENTLY). */
  transaction: boolean;
}

export const MIGRATION_FILE_NAME = /^(\d+)_.+\.sql$/;

// dbmate's directives: at the start of a line, optionally followed by options.
const UP_DIRECTIVE = /^--\s*migrate:up(?:\s*$|\s+\S+)/gm;
const DOWN_DIRECTIVE = /^--\s*migrate:down(?:\s*$|\s+\S+)/gm;

export class MigrationFileError extends Error {
  constructor(fileName: string, reason: string) {
    super(`Migration ${fileName}: ${reason}`);
    this.name = 'MigrationFileError';
  }
}

/**
 * Parses a file the way dbmate does: an `-- migrate:up` section, then a `-- migrate:down` section,
 * nothing but comments before the first. Where dbmate would fail only at apply time (a second up
 * section, which dbmate 2.36 runs and then fails to record), this fails now.
 */
export function parseMigration(fileName: string, contents: string): Migration {
  const nameMatch = MIGRATION_FILE_NAME.exec(fileName);
  if (nameMatch === null) {
    throw new MigrationFileError(
      fileName,
      'the file name must be <version>_<name>.sql, the version all digits',
    );
  }
  const ups = [...contents.matchAll(UP_DIRECTIVE)];
  const downs = [...contents.matchAll(DOWN_DIRECTIVE)];
  const [up] = ups;
  const [down] = downs;
  if (up === undefined) {
    throw new MigrationFileError(fileName, "no '-- migrate:up' section");
  }
  if (down === undefined) {
    throw new MigrationFileError(fileName, "no '-- migrate:down' section (dbmate requires one, even empty)");
  }
  if (ups.length > 1 || downs.length > 1) {
    throw new MigrationFileError(fileName, "more than one '-- migrate:up' or '-- migrate:down' section");
  }
  if (down.index < up.index) {
    throw new MigrationFileError(fileName, "'-- migrate:down' comes before '-- migrate:up'");
  }
  const preamble = contents.slice(0, up.index).split('\n');
  if (preamble.some((line) => line.trim() !== '' && !line.trim().startsWith('--'))) {
    throw new MigrationFileError(
      fileName,
      "statements before '-- migrate:up' (only comments may precede it)",
    );
  }

  const upLineEnd = endOfLine(contents, up.index);
  return {
    version: nameMatch[1] ?? '',
    fileName,
    up: contents.slice(upLineEnd, down.index).trim(),
    down: contents.slice(endOfLine(contents, down.index)).trim(),
    transaction: directiveOptions(contents.slice(up.index, upLineEnd)).get('transaction') !== 'false',
  };
}

function endOfLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline;
}

/** `-- migrate:up transaction:false a:b` -> {transaction: 'false', a: 'b'}; malformed pairs ignored, as by dbmate. */
function directiveOptions(directive: string): Map<string, string> {
  const options = new Map<string, string>();
  const rest = directive.replace(/^--\s*migrate:(?:up|down)/, '').trim();
  for (const pair of rest === '' ? [] : rest.split(/\s+/)) {
    const parts = pair.split(':');
    if (parts.length === 2) {
      options.set(parts[0] ?? '', parts[1] ?? '');
    }
  }
  return options;
}
