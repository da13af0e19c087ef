/** Time source of the log stores, injectable so expiry can be tested without waiting 30 days. */
export interface Clock {
  now(): Date;
}
