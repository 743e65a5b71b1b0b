// Our rules for the rendered Kubernetes objects, on top of the API schemas: every container has
// probes, resources and a locked-down securityContext, and no image floats on `latest`. The app
// Deployment also keeps its grace period above the service's shutdown timeout plus the preStop pause.
import { duration } from '../../src/config/env-values.ts';

type Manifest = Record<string, unknown>;
type Container = Record<string, unknown> & { name?: string };

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
/** Root is allowed only where the object says why, under this annotation. */
export const RUNS_AS_ROOT_ANNOTATION = 'node-backend-template/runs-as-root';

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function imageFloats(image: string): boolean {
  if (image.includes('@sha256:')) return false;
  const lastSegment = image.split('/').at(-1) ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;
  return tag === undefined || tag === 'latest';
}

/** Every rule broken by one rendered object, as sentences naming it. */
export function checkManifest(manifest: Manifest): string[] {
  const kind = String(manifest.kind);
  const name = `${kind}/${String(field(manifest, 'metadata', 'name'))}`;
  if (!WORKLOADS.has(kind)) return [];
  const problems: string[] = [];
  const pod = field(manifest, 'spec', 'template', 'spec');
  const containers = (field(pod, 'containers') as Container[] | undefined) ?? [];
  const rootAllowed = typeof field(manifest, 'metadata', 'annotations', RUNS_AS_ROOT_ANNOTATION) === 'string';
  const podRunsAsNonRoot = field(pod, 'securityContext', 'runAsNonRoot') === true;

  for (const container of containers) {
    const where = `${name} container ${container.name ?? '?'}`;
    const image = typeof container.image === 'string' ? container.image : '';
    if (imageFloats(image)) problems.push(`${where}: image ${image} needs a fixed tag or digest, not latest`);
    if (kind !== 'Job') {
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        if (container[probe] === undefined) problems.push(`${where}: no ${probe}`);
      }
    }
    for (const bound of ['requests', 'limits']) {
      const resources = field(container, 'resources', bound) as Record<string, unknown> | undefined;
      if (!resources?.cpu || !resources.memory)
        problems.push(`${where}: resources.${bound} needs cpu and memory`);
    }
    const security = field(container, 'securityContext') as Record<string, unknown> | undefined;
    if (security?.allowPrivilegeEscalation !== false)
      problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (security?.readOnlyRootFilesystem !== true)
      problems.push(`${where}: readOnlyRootFilesystem must be true`);
    const dropped = field(security, 'capabilities', 'drop') as string[] | undefined;
    if (!dropped?.includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
    if (security?.privileged === true) problems.push(`${where}: must not be privileged`);
    if (!rootAllowed && !podRunsAsNonRoot && security?.runAsNonRoot !== true) {
      problems.push(
        `${where}: runAsNonRoot must be true (or annotate ${RUNS_AS_ROOT_ANNOTATION} with the reason)`,
      );
    }
  }
  return problems;
}

/** The app Deployment's shutdown chain: preStop pause, then SIGTERM, then SHUTDOWN_TIMEOUT. */
export function checkShutdownBudget(deployment: Manifest, config: Record<string, string>): string[] {
  const pod = field(deployment, 'spec', 'template', 'spec');
  const grace = Number(field(pod, 'terminationGracePeriodSeconds') ?? 30);
  const container = ((field(pod, 'containers') as Container[] | undefined) ?? [])[0];
  const pause = Number(field(container, 'lifecycle', 'preStop', 'sleep', 'seconds') ?? Number.NaN);
  const problems: string[] = [];
  if (!(field(container, 'startupProbe') !== undefined))
    problems.push('the app Deployment needs a startupProbe');
  if (Number.isNaN(pause))
    problems.push('the app container needs a preStop sleep so endpoints drain before SIGTERM');
  const parsed = duration().safeParse(config.SHUTDOWN_TIMEOUT ?? '10s');
  const shutdownMs = parsed.success ? parsed.data : undefined;
  if (shutdownMs === undefined) problems.push(`SHUTDOWN_TIMEOUT ${config.SHUTDOWN_TIMEOUT} is no duration`);
  else if (grace * 1000 <= shutdownMs + (Number.isNaN(pause) ? 0 : pause * 1000)) {
    problems.push(
      `terminationGracePeriodSeconds ${grace} must exceed SHUTDOWN_TIMEOUT (${config.SHUTDOWN_TIMEOUT}) plus the preStop pause`,
    );
  }
  return problems;
}
