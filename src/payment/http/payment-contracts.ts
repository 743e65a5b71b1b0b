// The Payment contracts' route tables, on their own: what the service knows of the module before
// building it (its scopes), without loading its handlers. The sandbox's scope is among the API's;
// the payload routes are open and add none.
import { paymentPayloadOperations } from '../../../api/payment-payload/server.gen.ts';
import { paymentSandboxOperations } from '../../../api/payment-sandbox/server.gen.ts';
import { paymentOperations } from '../../../api/payment/server.gen.ts';

export const paymentContracts = [
  paymentOperations,
  paymentPayloadOperations,
  paymentSandboxOperations,
] as const;
