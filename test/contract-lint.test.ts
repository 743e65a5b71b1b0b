// Proves each rule of the contract lint (redocly.yaml: the built-in rules we rely on and the house
// rules of scripts/contract-lint/) fails on a document that breaks it, and passes one that follows
// them all. `npm run lint` proves the documents in oapi/ obey them; so does the last test here.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = 'test/fixtures/contract-lint';

interface Problem {
  rule: string;
  file: string;
  pointer: string;
  message: string;
}

interface LintReport {
  problems: { ruleId: string; message: string; location: { source: { ref: string }; pointer: string }[] }[];
}

/** Runs the linter as `npm run lint:contracts` does, with the JSON report (one object per document). */
async function lint(...documents: string[]): Promise<{ problems: Problem[]; exitCode: number }> {
  const args = ['lint', ...documents, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'];
  const options = {
    cwd: ROOT,
    maxBuffer: 16 << 20,
    env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  };
  let stdout: string;
  let exitCode = 0;
  try {
    ({ stdout } = await run(join(ROOT, 'node_modules/.bin/redocly'), args, options));
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    ({ stdout } = failed);
    exitCode = failed.code;
  }
  const problems: Problem[] = [];
  for (const report of splitJsonObjects(stdout) as LintReport[]) {
    for (const problem of report.problems) {
      const where = problem.location[0]!;
      problems.push({
        rule: problem.ruleId,
        file: where.source.ref,
        pointer: where.pointer,
        message: problem.message,
      });
    }
  }
  return { problems, exitCode };
}

/** The JSON format writes one report per document, back to back. */
function splitJsonObjects(text: string): unknown[] {
  const objects: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' && depth++ === 0) start = index;
    else if (char === '}' && --depth === 0) objects.push(JSON.parse(text.slice(start, index + 1)));
  }
  return objects;
}

const scratch = mkdtempSync(join(tmpdir(), 'contract-lint-'));
let fixtures: { problems: Problem[]; exitCode: number };
beforeAll(async () => {
  // The token endpoint's document, outside the `oauth` API of redocly.yaml: its exceptions must not follow it.
  copyFileSync(join(ROOT, 'oapi/oauth.yaml'), join(scratch, 'token-endpoint.yaml'));
  fixtures = await lint(`${FIXTURES}/*.yaml`, join(scratch, 'token-endpoint.yaml'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function reported(file: string): string[] {
  return fixtures.problems
    .filter((problem) => problem.file.endsWith(`/${file}`))
    .map((problem) => `${problem.rule} ${problem.pointer}`);
}

describe('the contract lint', () => {
  it('fails the lint step (non-zero exit) when a rule is broken', () => {
    expect(fixtures.exitCode).not.toBe(0);
  });

  it('passes a document that follows every rule: shared problems, readOnly and self-bounded inputs, an open operation', () => {
    expect(reported('valid.yaml')).toEqual([]);
  });

  it.each([
    ['operation-operationId', '#/paths/~1no-operation-id/get/operationId'],
    ['operation-summary', '#/paths/~1no-summary/get/summary'],
    ['security-defined', '#/paths/~1no-security/get'],
    ['security-scopes-defined', '#/paths/~1scopes/put/security/0/oauth2/0'],
    ['house/operation-scopes', '#/paths/~1scopes/get/security'],
    ['house/operation-scopes', '#/paths/~1scopes/put/responses'],
    ['house/operation-scopes', '#/paths/~1scopes/post/security'],
    ['house/operation-scopes', '#/paths/~1scopes/delete/security'],
    ['house/problem-responses', '#/paths/~1problems/get/responses/404'],
    ['house/problem-responses', '#/paths/~1problems/get/responses/500'],
    ['house/problem-responses', '#/paths/~1problems/put/responses'],
    ['operation-4xx-response', '#/paths/~1problems/put/responses'],
    ['house/bounded-inputs', '#/paths/~1bounds~1{slug}/parameters/0/schema'],
    ['house/bounded-inputs', '#/paths/~1bounds~1{slug}/post/parameters/0/schema'],
    ['house/bounded-inputs', '#/components/schemas/Unbounded/properties/ids'],
    ['house/bounded-inputs', '#/components/schemas/Unbounded/properties/ids/items/allOf/0'],
    ['house/property-descriptions', '#/components/schemas/Unbounded/properties/undescribed'],
    ['no-invalid-parameter-examples', '#/paths/~1bounds~1{slug}/post/parameters/1/example'],
    [
      'no-invalid-media-type-examples',
      '#/paths/~1bounds~1{slug}/post/requestBody/content/application~1json/example/ids',
    ],
    ['no-invalid-schema-examples', '#/components/schemas/Unbounded/example/undescribed'],
  ])('%s catches violations.yaml at %s', (rule, pointer) => {
    expect(reported('violations.yaml')).toContain(`${rule} ${pointer}`);
  });

  it('reports nothing in violations.yaml beyond the deliberate violations', () => {
    expect(reported('violations.yaml')).toHaveLength(20);
  });

  it('wants the dialect x-problem-dialect names, and refuses the shared Problem there', () => {
    expect(reported('dialect.yaml')).toEqual(['house/problem-responses #/paths/~1shared/get/responses/403']);
    expect(fixtures.problems.find((problem) => problem.file.endsWith('/dialect.yaml'))?.message).toBe(
      "Error response 403 uses oapi/common/problem.yaml#/components/schemas/Problem, not the document's problem schema #/components/schemas/LocalProblem.",
    );
  });

  it('refuses an x-problem-dialect that is not a schema name', () => {
    expect(reported('bad-dialect.yaml')).toEqual(['house/problem-responses #/x-problem-dialect']);
  });

  it("keeps the token endpoint's exceptions to the oauth API of redocly.yaml", () => {
    expect(reported('token-endpoint.yaml')).toEqual(
      expect.arrayContaining([
        'house/operation-scopes #/paths/~1oauth~1token/post/security',
        'house/problem-responses #/paths/~1oauth~1token/post/responses/400',
        'house/problem-responses #/paths/~1oauth~1token/post/responses/401',
      ]),
    );
  });

  it('passes every API document in oapi/', async () => {
    const documents = await lint('oapi/!(codegen).yaml');
    expect(documents.problems).toEqual([]);
    expect(documents.exitCode).toBe(0);
  });
});
