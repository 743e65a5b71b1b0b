// `app.inject` with every response checked against the contract, so each test of an API checks the
// contract for free. Headers every request needs (an Authorization header, say) go here, once.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Contract, ContractViolationError } from './contract-validator.ts';

export interface ContractClientOptions {
  /** Sent with every request; a request's own headers win. */
  headers?: Record<string, string>;
}

export interface ContractClient {
  readonly contract: Contract;
  /** Like `app.inject`; rejects with ContractViolationError when the response breaks the contract. */
  inject(options: InjectOptions & { method: string; url: string }): Promise<LightMyRequestResponse>;
}

export async function contractClient(
  app: FastifyInstance,
  file: string,
  options: ContractClientOptions = {},
): Promise<ContractClient> {
  const contract = await Contract.load(file);
  return {
    contract,
    async inject(request) {
      const operation = contract.operationFor(request.method, request.url);
      if (!operation) {
        throw new ContractViolationError(`${file} has no operation for ${request.method} ${request.url}`);
      }
      const response = await app.inject({
        ...request,
        headers: { ...options.headers, ...(request.headers as Record<string, string> | undefined) },
      });
      contract.check(operation, response);
      return response;
    },
  };
}
