// What the payload routes need of a signer, and nothing of how it signs: the module factory hands
// in the one of src/payment/payload-signing/ (an RSA key, RS256), which fits this shape.
export interface PayloadSignature {
  /** The compact JWS of the payload, serialised as JSON. */
  sign(payload: object): Promise<string>;
  /** The public key set the JWS header's jku names. */
  jwks(): { keys: object[] };
}
