// `tsx scripts/ci/check-manifests.ts`: renders the dev and prod overlays of deploy/k8s with
// `kubectl kustomize`, validates every object against the Kubernetes API schemas (kubernetes-models)
// and against our rules (manifest-rules.ts). Exit 1 with every problem listed.
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { readVariableNames } from '../../src/config/config.ts';
import { checkManifest, checkShutdownBudget } from './manifest-rules.ts';

const OVERLAYS = ['deploy/k8s/overlays/dev', 'deploy/k8s/overlays/prod'];

type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};
type ModelClass = new (data: unknown) => { validate(): void };

function render(overlay: string): Manifest[] {
  const text = execFileSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', overlay], {
    encoding: 'utf8',
  });
  return parseAllDocuments(text).map((document) => document.toJS() as Manifest);
}

/** The kubernetes-models class of an apiVersion and kind, e.g. apps/v1 Deployment. */
async function modelOf(manifest: Manifest): Promise<ModelClass | undefined> {
  const module = (await import(`kubernetes-models/${manifest.apiVersion}/${manifest.kind}`).catch(
    () => undefined,
  )) as Record<string, ModelClass> | undefined;
  return module?.[manifest.kind];
}

const problems: string[] = [];
for (const overlay of OVERLAYS) {
  const manifests = render(overlay);
  for (const manifest of manifests) {
    const name = `${overlay}: ${manifest.kind}/${manifest.metadata.name}`;
    const Model = await modelOf(manifest);
    if (!Model) {
      problems.push(`${name}: no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
      continue;
    }
    try {
      new Model(manifest).validate();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    problems.push(...checkManifest(manifest).map((problem) => `${overlay}: ${problem}`));
  }
  const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'api');
  const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'api-config');
  if (!deployment || !config) problems.push(`${overlay}: no Deployment/api with its ConfigMap/api-config`);
  else {
    const data = (config.data ?? {}) as Record<string, string>;
    const read = new Set(readVariableNames());
    for (const variable of Object.keys(data).filter((key) => !read.has(key) && !key.startsWith('OTEL_'))) {
      problems.push(`${overlay}: ConfigMap/api-config sets ${variable}, which the service does not read`);
    }
    problems.push(...checkShutdownBudget(deployment, data).map((problem) => `${overlay}: ${problem}`));
  }
  process.stdout.write(`${overlay}: ${manifests.length} objects rendered\n`);
}
for (const problem of problems) process.stderr.write(`${problem}\n`);
if (problems.length > 0) process.exit(1);
process.stdout.write('Kubernetes manifests: schemas and rules hold\n');
