import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCodegenConfig } from '../../scripts/openapi-gen/codegen-config.ts';
import { collectOperations } from '../../scripts/openapi-gen/collect-operations.ts';
import { loadDocument } from '../../scripts/openapi-gen/load-document.ts';
import { sampleOperations } from '../../test/support/sample-api.ts';
import { SERVICE_SCOPES } from '../service-catalog.ts';
import { contractScopes } from './contract-scopes.ts';

const OAPI = new URL('../../oapi/', import.meta.url);

const secured = (scopes: Record<string, string[]>[]) =>
  sampleOperations.map((op) => ({ ...op, security: scopes }));

describe('contract scopes', () => {
  it('are the sorted union of every requirement of every operation of every table, open ones adding none', () => {
    const tables = [
      secured([{ oauth2: ['notes.write', 'notes.read'] }, { apiKey: [] }]),
      secured([{ oauth2: ['cob.read'] }]),
      sampleOperations,
    ];
    expect(contractScopes(tables)).toEqual(['cob.read', 'notes.read', 'notes.write']);
    expect(contractScopes([sampleOperations])).toEqual([]);
  });

  it('give the service the scopes of every contract oapi/codegen.yaml generates, read from the documents', async () => {
    const config = await loadCodegenConfig(fileURLToPath(new URL('codegen.yaml', OAPI)), 'oapi/codegen.yaml');
    const declared = new Set<string>();
    for (const api of config.apis.filter((each) => !each.documentationOnly)) {
      const loaded = await loadDocument(fileURLToPath(new URL(api.spec, OAPI)), `oapi/${api.spec}`);
      for (const operation of collectOperations(loaded, { deriveOperationIds: api.deriveOperationIds })) {
        for (const requirement of operation.security) {
          for (const scopes of Object.values(requirement)) for (const scope of scopes) declared.add(scope);
        }
      }
    }
    // A module whose catalogue is missing from src/service-catalog.ts would leave its scopes out.
    expect(SERVICE_SCOPES).toEqual([...declared].sort());
    expect(SERVICE_SCOPES).toEqual(
      expect.arrayContaining([
        'cob.read',
        'cob.write',
        'payloadlocation.read',
        'payloadlocation.write',
        'pix.read',
        'pix.write',
        'profile.read',
        'profile.write',
        'webhook.read',
        'webhook.write',
      ]),
    );
  });
});
