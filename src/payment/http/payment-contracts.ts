// The Payment contracts' route tables, on their own: what the service knows of the module before
// building it (its scopes), without loading its handlers. The sandbox's scope is among the API's.
import { paymentSandboxOperations } from '../../../api/payment-sandbox/server.gen.ts';
import { paymentOperations } from '../../../api/payment/server.gen.ts';

export const paymentContracts = [paymentOperations, paymentSandboxOperations] as const;
