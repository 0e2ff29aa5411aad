/** Roles: nothing to diff (the live model has none; the plan checks that they exist). */
import type { ModelKindDiff } from '../../diff/kind-diff.js';

export const roleDiff: ModelKindDiff = { scope: 'model', run: () => [] };
