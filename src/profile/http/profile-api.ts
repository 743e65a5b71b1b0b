// Everything the server needs to mount the Profile API: the contract's operations, their handlers
// and the module's problem table.
import { profileOperations } from '../../../api/profile/server.gen.ts';
import { createProfileHandlers, type ProfileHandlerDeps } from './profile-handlers.ts';
import { profileErrorToProblem } from './profile-problems.ts';

export function createProfileApi(deps: ProfileHandlerDeps) {
  return {
    name: 'profile',
    operations: profileOperations,
    handlers: createProfileHandlers(deps),
    errorToProblem: profileErrorToProblem,
  };
}
