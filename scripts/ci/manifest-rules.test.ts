/* eslint-disable @typescript-eslint/no-explicit-any -- edits deep into parsed YAML objects */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkManifest, checkShutdownBudget, RUNS_AS_ROOT_ANNOTATION } from './manifest-rules.ts';

const deployment = parse(
  readFileSync(new URL('../../deploy/k8s/base/app/deployment.yaml', import.meta.url), 'utf8'),
) as Record<string, any>;
// kustomize sets the tag (images: in kustomization.yaml); the rendered object carries it.
deployment.spec.template.spec.containers[0].image = 'node-backend-template:0.1.0';
const config = (
  parse(readFileSync(new URL('../../deploy/k8s/base/app/configmap.yaml', import.meta.url), 'utf8')) as {
    data: Record<string, string>;
  }
).data;

function changed(edit: (copy: Record<string, any>) => void): Record<string, any> {
  const copy = structuredClone(deployment);
  edit(copy);
  return copy;
}
const container = (copy: Record<string, any>) => copy.spec.template.spec.containers[0];

describe('Kubernetes manifest rules', () => {
  it('hold for the app Deployment and its shutdown budget', () => {
    expect(checkManifest(deployment)).toEqual([]);
    expect(checkShutdownBudget(deployment, config)).toEqual([]);
  });

  it('want probes, resources and a fixed image tag', () => {
    const broken = changed((copy) => {
      delete container(copy).readinessProbe;
      delete container(copy).resources.limits;
      container(copy).image = 'node-backend-template:latest';
    });
    expect(checkManifest(broken)).toEqual([
      'Deployment/api container api: image node-backend-template:latest needs a fixed tag or digest, not latest',
      'Deployment/api container api: no readinessProbe',
      'Deployment/api container api: resources.limits needs cpu and memory',
    ]);
  });

  it('want a locked-down securityContext, root only where annotated', () => {
    const loose = changed((copy) => {
      container(copy).securityContext = { allowPrivilegeEscalation: true };
      delete copy.spec.template.spec.securityContext.runAsNonRoot;
    });
    expect(checkManifest(loose)).toEqual([
      'Deployment/api container api: allowPrivilegeEscalation must be false',
      'Deployment/api container api: readOnlyRootFilesystem must be true',
      'Deployment/api container api: capabilities must drop ALL',
      `Deployment/api container api: runAsNonRoot must be true (or annotate ${RUNS_AS_ROOT_ANNOTATION} with the reason)`,
    ]);
    const annotated = changed((copy) => {
      delete copy.spec.template.spec.securityContext.runAsNonRoot;
      copy.metadata.annotations = { [RUNS_AS_ROOT_ANNOTATION]: 'reads host files' };
    });
    expect(checkManifest(annotated)).toEqual([]);
  });

  it('want the grace period above SHUTDOWN_TIMEOUT plus the preStop pause', () => {
    expect(checkShutdownBudget(deployment, { ...config, SHUTDOWN_TIMEOUT: '30s' })).toEqual([
      'terminationGracePeriodSeconds 35 must exceed SHUTDOWN_TIMEOUT (30s) plus the preStop pause',
    ]);
    const noPause = changed((copy) => delete container(copy).lifecycle);
    expect(checkShutdownBudget(noPause, config)).toEqual([
      'the app container needs a preStop sleep so endpoints drain before SIGTERM',
    ]);
  });
});
