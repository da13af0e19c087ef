/** Injection token of the LogStore port. */
export const LOG_STORE = Symbol('LOG_STORE');
