// The Profile contract's route tables, on their own: what the service knows of the module before
// building it (its scopes), without loading its handlers.
import { profileOperations } from '../../../api/profile/server.gen.ts';

export const profileContracts = [profileOperations] as const;
