import type { Clock } from '@app/logstore';

/**
 * The admin services' time source (token expiry, retention), injectable so tests move time
 * instead of waiting. The system clock unless a test provides another.
 */
export const ADMIN_CLOCK = Symbol('ADMIN_CLOCK');

export type AdminClock = Clock;
