// `tsx scripts/ci/check-compose.ts`: compose.yaml against the Compose Specification's JSON schema
// (shared/reference/compose-spec.schema.json, beside the repository), every bind-mounted file present,
// and every variable set for the service (app and migrate) one the service reads.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { readVariableNames } from '../../src/config/config.ts';

const SCHEMA = process.env.COMPOSE_SCHEMA ?? '../shared/reference/compose-spec.schema.json';
const SERVICE_CONTAINERS = ['app', 'migrate'];

interface ComposeService {
  environment?: Record<string, string> | string[];
  volumes?: (string | { type?: string; source?: string })[];
}

const compose = parse(readFileSync(process.argv[2] ?? 'compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const problems: string[] = [];

// The schema names its draft-07 meta-schema by an https URL ajv does not know; it is draft-07 all the same.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
if (!validate(compose)) {
  for (const error of validate.errors ?? []) problems.push(`schema: ${error.instancePath} ${error.message}`);
}

for (const [name, service] of Object.entries(compose.services)) {
  for (const volume of service.volumes ?? []) {
    const source = typeof volume === 'string' ? volume.split(':')[0]! : (volume.source ?? '');
    if (source.startsWith('./') && !existsSync(source)) {
      problems.push(`${name}: mounts ${source}, which does not exist`);
    }
  }
}

const read = new Set(readVariableNames());
for (const name of SERVICE_CONTAINERS) {
  const environment = compose.services[name]?.environment ?? {};
  const variables = Array.isArray(environment)
    ? environment.map((entry) => entry.split('=')[0]!)
    : Object.keys(environment);
  for (const variable of variables) {
    // OTEL_* and NODE_ENV are read by the OpenTelemetry SDK and Node.js themselves.
    if (!read.has(variable) && !variable.startsWith('OTEL_') && variable !== 'NODE_ENV') {
      problems.push(`${name}: sets ${variable}, which the service does not read`);
    }
  }
}

for (const problem of problems) process.stderr.write(`compose.yaml: ${problem}\n`);
if (problems.length > 0) process.exit(1);
process.stdout.write('compose.yaml: schema, mounted files and service variables hold\n');
