import { describe, expect, it } from 'vitest';
import { sampleOperations } from '../../test/support/sample-api.ts';
import { paymentModuleCatalog } from '../payment/payment-catalog.ts';
import { profileModuleCatalog } from '../profile/profile-catalog.ts';
import { SERVICE_SCOPES } from '../service-catalog.ts';
import { contractScopes } from './contract-scopes.ts';

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

  it('give the service the scopes of every module contract', () => {
    expect(SERVICE_SCOPES).toEqual(
      contractScopes([...profileModuleCatalog.contracts, ...paymentModuleCatalog.contracts]),
    );
    expect(SERVICE_SCOPES).toEqual([
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
    ]);
  });
});
