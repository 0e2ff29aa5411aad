/** Roles are not read into the model (see ./model.ts); the plan asks the server about the roles the file names (./exists.ts). */
import type { KindIntrospect } from '../../introspect/model-draft.js';

export const roleIntrospect: KindIntrospect = { queries: [], build: () => undefined };
