/** Roles have no steps (they are never created, altered or dropped by a plan). */
export {};
