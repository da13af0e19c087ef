import type { TypedToken } from '@app/config';
import type { LogStore } from './log-store';

/** Injection token of the LogStore port. */
export const LOG_STORE = Symbol('LOG_STORE') as TypedToken<LogStore>;
