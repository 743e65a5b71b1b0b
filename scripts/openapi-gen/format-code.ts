import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

// The generator's own repository settings, wherever it generates (a fixture or a temp copy included),
// so the same input gives the same bytes.
const PRETTIER_CONFIG = fileURLToPath(new URL('../../.prettierrc.json', import.meta.url));

/** Formats generated code with the repository's prettier settings, so output reads like our code. */
export async function formatCode(
  code: string,
  parser: 'typescript' | 'json' | 'markdown' = 'typescript',
): Promise<string> {
  const options = await resolveConfig(PRETTIER_CONFIG, { config: PRETTIER_CONFIG, editorconfig: false });
  return format(code, { ...options, parser });
}
