/** The role kind's part of the pull writer: none (a pulled file names roles only in owner and grants; `roles:` is optional). */
import type { PullPlacement } from '../kind.js';

export const rolePull: readonly PullPlacement[] = [{ in: 'document', entries: () => [['roles', undefined]] }];
