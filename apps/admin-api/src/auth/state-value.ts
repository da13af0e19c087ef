import { randomBytes } from 'node:crypto';

/** Prefix of our one-time `state` values, so a scan of the logs can prove none was written. */
export const STATE_PREFIX = 'csst_';

/** A one-time OAuth `state` (sign-in or consent): 192 random bits. */
export function newStateValue(): string {
  return `${STATE_PREFIX}${randomBytes(24).toString('base64url')}`;
}
