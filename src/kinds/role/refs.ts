/** What names roles: nothing (no step acts on a role). */
import type { KindRefs } from '../kind.js';

export const roleRefs = { refKinds: {}, words: [], reports: ['role'], keys: {} } as const satisfies KindRefs;
