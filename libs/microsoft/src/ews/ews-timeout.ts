/**
 * How long one EWS request may go without an answer when no timeout is given: the default of
 * the EWS Managed API's ExchangeService.Timeout (100 s). The transport enforces it (connect,
 * TLS, waiting for the answer, and between chunks of it); ews-javascript-api's own
 * `ExchangeService.Timeout` is never applied.
 */
export const EWS_DEFAULT_TIMEOUT_MS = 100_000;

/**
 * The message of an EWS request that got no answer in time (its code is ETIMEDOUT). It names
 * the code: ews-javascript-api keeps only the message of a transport error (ewsFailureOf finds
 * network codes there).
 */
export function ewsTimeoutMessage(ms: number): string {
  const time = ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
  return `ETIMEDOUT: no answer within ${time}`;
}
