// Where the payload signing key comes from: PIX_PAYLOAD_SIGNING_KEY when set (the configuration
// requires it with a real database), else, in embedded mode only, a key generated on the first start
// and kept under DATA_DIR, as the token signing key is.
import { loadOrCreateSecret } from '../../platform/local-secret-file.ts';
import { generateRsaPrivateKeyPem } from '../../platform/rsa-private-key.ts';

export const GENERATED_PAYLOAD_KEY_FILE = 'pix-payload-signing-key.pem';

export interface PayloadSigningKeySource {
  /** PIX_PAYLOAD_SIGNING_KEY, if set. */
  configured: string | undefined;
  dataDir: string;
  embedded: boolean;
}

export interface PayloadSigningKeyPem {
  pem: string;
  /** Set when this call generated the key (worth a warning: it exists only on this machine). */
  generatedAt?: string;
}

export function payloadSigningKeyPem(source: PayloadSigningKeySource): PayloadSigningKeyPem {
  if (source.configured !== undefined) return { pem: source.configured };
  if (!source.embedded) throw new Error('PIX_PAYLOAD_SIGNING_KEY is required with a real database');
  // Trimmed as the file is read back, so the first start and later ones hand over the same text.
  const key = loadOrCreateSecret(source.dataDir, GENERATED_PAYLOAD_KEY_FILE, () =>
    generateRsaPrivateKeyPem().trim(),
  );
  return key.created ? { pem: key.value, generatedAt: key.path } : { pem: key.value };
}
