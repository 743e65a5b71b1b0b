// POSTGRES_PRIMARY_* and POSTGRES_REPLICA_<n>_*, named as in the seed template. Replicas inherit the
// primary's user, password and database unless they set their own.
import { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';
import { nonEmpty, port } from './env-values.ts';

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
}

export const ENDPOINT_FIELDS = ['HOST', 'PORT', 'USER', 'PASSWORD', 'DATABASE'] as const;
const PRIMARY_PREFIX = 'POSTGRES_PRIMARY_';
const REPLICA_KEY = /^POSTGRES_REPLICA_(\d+)_([A-Z_]+)$/;

const endpointSchema = z.object({
  HOST: nonEmpty,
  PORT: port.optional(),
  USER: nonEmpty.optional(),
  PASSWORD: z.string().optional(),
  DATABASE: nonEmpty.optional(),
});

type RawEndpoint = Partial<Record<(typeof ENDPOINT_FIELDS)[number], string>>;

export interface PostgresEndpoints {
  primary: PostgresEndpoint;
  replicas: PostgresEndpoint[];
}

/** Undefined when no POSTGRES_PRIMARY_* variable is set: the service then runs on the embedded database. */
export function readPostgresEndpoints(
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): PostgresEndpoints | undefined {
  const primaryRaw: RawEndpoint = {};
  const replicasRaw = new Map<number, RawEndpoint>();

  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key.startsWith(PRIMARY_PREFIX)) {
      const field = key.slice(PRIMARY_PREFIX.length);
      if (!isEndpointField(field)) {
        issues.push({
          variable: key,
          message: `unknown variable; expected one of ${fieldList(PRIMARY_PREFIX)}`,
        });
        continue;
      }
      primaryRaw[field] = value;
      continue;
    }
    const replica = REPLICA_KEY.exec(key);
    if (replica) {
      const [, index, field] = replica as unknown as [string, string, string];
      if (!isEndpointField(field)) {
        issues.push({
          variable: key,
          message: `unknown variable; expected one of ${fieldList(`POSTGRES_REPLICA_${index}_`)}`,
        });
        continue;
      }
      const entry = replicasRaw.get(Number(index)) ?? {};
      entry[field] = value;
      replicasRaw.set(Number(index), entry);
    }
  }

  if (Object.keys(primaryRaw).length === 0) {
    for (const index of replicasRaw.keys()) {
      issues.push({
        variable: `POSTGRES_REPLICA_${index}_HOST`,
        message: 'replicas need a primary: set POSTGRES_PRIMARY_HOST too',
      });
    }
    return undefined;
  }

  const primary = parseEndpoint(PRIMARY_PREFIX, primaryRaw, undefined, issues);
  const replicas = [...replicasRaw.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, raw]) => parseEndpoint(`POSTGRES_REPLICA_${index}_`, raw, primary, issues));
  if (!primary || replicas.some((replica) => replica === undefined)) return undefined;
  return { primary, replicas: replicas as PostgresEndpoint[] };
}

function parseEndpoint(
  prefix: string,
  raw: RawEndpoint,
  inheritFrom: PostgresEndpoint | undefined,
  issues: ConfigIssue[],
): PostgresEndpoint | undefined {
  const parsed = endpointSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      const message = raw[field as keyof RawEndpoint] === undefined ? 'is required' : issue.message;
      issues.push({ variable: `${prefix}${field}`, message });
    }
    return undefined;
  }
  const value = parsed.data;
  return {
    host: value.HOST,
    port: value.PORT ?? inheritFrom?.port ?? 5432,
    user: value.USER ?? inheritFrom?.user ?? 'postgres',
    password: value.PASSWORD ?? inheritFrom?.password,
    database: value.DATABASE ?? inheritFrom?.database ?? 'postgres',
  };
}

function isEndpointField(field: string): field is (typeof ENDPOINT_FIELDS)[number] {
  return (ENDPOINT_FIELDS as readonly string[]).includes(field);
}

function fieldList(prefix: string): string {
  return ENDPOINT_FIELDS.map((field) => `${prefix}${field}`).join(', ');
}
