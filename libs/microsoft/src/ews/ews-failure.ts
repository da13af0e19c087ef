import { ServiceError } from 'ews-javascript-api';

/**
 * What went wrong with one EWS call, read from whatever ews-javascript-api rejected with (a
 * SoapFaultDetails for HTTP errors and SOAP faults, a ServiceResponseException for an error
 * response, a network error): the HTTP status, the EWS response code, the back-off Exchange
 * asked for, a network error code, and the message.
 */
export interface EwsFailure {
  httpStatus?: number;
  /** The EWS ResponseCode, e.g. ErrorNonExistentMailbox. */
  responseCode?: string;
  backOffMs?: number;
  /** A Node network/TLS error code, e.g. ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN. */
  networkCode?: string;
  message: string;
}

const TLS_CODES =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_NOT_YET_VALID)$/;
const NETWORK_CODES =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|ERR_SOCKET_CONNECTION_TIMEOUT|socket hang up|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_GET_ISSUER_CERT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|self[- ]signed certificate|unable to verify the first certificate)\b/i;

export function isTlsCode(code: string | undefined): boolean {
  return !!code && TLS_CODES.test(code);
}

function codeName(code: unknown): string | undefined {
  if (typeof code === 'number') return (ServiceError as unknown as Record<number, string>)[code];
  if (typeof code === 'string' && code) return code;
  return undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function detail(details: unknown, key: string): unknown {
  if (!details || typeof details !== 'object') return undefined;
  const d = details as { get?: (k: string) => unknown; tryGetValue?: unknown };
  try {
    if (typeof d.get === 'function') return d.get(key);
  } catch {
    return undefined;
  }
  return (details as Record<string, unknown>)[key];
}

/** Normalises a rejection of ews-javascript-api (or of its XHR) into an EwsFailure. */
export function ewsFailureOf(error: unknown): EwsFailure {
  const e = (error ?? {}) as Record<string, unknown>;
  const response = e.Response as Record<string, unknown> | undefined;
  const responseCode =
    codeName(e.ResponseCode) ??
    codeName(e.ErrorCode) ??
    codeName(response?.ErrorCode) ??
    codeName(e.errorCode);
  const message = String(
    e.Message ??
      e.message ??
      response?.ErrorMessage ??
      (error instanceof Error ? error.message : '') ??
      '',
  );
  const backOffMs =
    num(e.BackOffMilliseconds) ??
    num(detail(e.ErrorDetails, 'BackOffMilliseconds')) ??
    num(detail(response?.ErrorDetails, 'BackOffMilliseconds')) ??
    num(/BackOffMilliseconds\D{0,40}?(\d+)/.exec(safeJson(error))?.[1]);
  const httpStatus = num(e.HttpStatusCode) ?? num(e.status) ?? undefined;
  const rawCode = typeof e.code === 'string' ? e.code : undefined;
  const networkCode =
    rawCode && !/^Error/.test(rawCode)
      ? rawCode
      : NETWORK_CODES.exec(`${message} ${safeJson(error)}`)?.[1];
  return {
    ...(httpStatus ? { httpStatus } : {}),
    ...(responseCode ? { responseCode } : {}),
    ...(backOffMs !== undefined ? { backOffMs } : {}),
    ...(networkCode ? { networkCode: normaliseNetworkCode(networkCode) } : {}),
    message: message.slice(0, 500),
  };
}

function normaliseNetworkCode(code: string): string {
  if (/self[- ]signed/i.test(code)) return 'SELF_SIGNED_CERT_IN_CHAIN';
  if (/unable to verify the first/i.test(code)) return 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
  return code;
}

function safeJson(value: unknown): string {
  try {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_k, v: unknown) => {
      if (v && typeof v === 'object') {
        if (seen.has(v)) return undefined;
        seen.add(v);
      }
      return v;
    }).slice(0, 20_000);
  } catch {
    return '';
  }
}
