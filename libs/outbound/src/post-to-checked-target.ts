import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import type { ResolvedAddress } from './host-resolver';
import type { CheckedWebhookTarget } from './webhook-target-policy';

export interface WebhookPostOptions {
  headers: Record<string, string>;
  body: string;
  /** Trusted CAs for https (unset = Node's defaults). */
  ca?: string[];
  timeoutMs: number;
  /** The receiver's answer is read up to this many bytes, then dropped. */
  maxResponseBytes: number;
}

/**
 * POSTs to a checked target on a one-off connection whose DNS lookup answers only the checked
 * addresses, so a name that changes between check and connect (DNS rebinding) cannot redirect
 * the request. TLS still verifies the certificate against the URL's host name. undici's
 * `request` never follows redirects: a 3xx is just the answer.
 */
export async function postToCheckedTarget(
  target: CheckedWebhookTarget,
  options: WebhookPostOptions,
): Promise<{ status: number }> {
  const agent = new Agent({
    connect: {
      ...(options.ca ? { ca: options.ca } : {}),
      lookup: pinnedLookup(target.addresses),
      timeout: options.timeoutMs,
    },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connections: 1,
  });
  try {
    const res = await request(target.url, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
      dispatcher: agent,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    let read = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read >= options.maxResponseBytes) break; // leaving the loop destroys the body
    }
    return { status: res.statusCode };
  } finally {
    await agent.destroy();
  }
}

/** A `lookup` for net/tls.connect that only ever answers the given addresses. */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return ((
    hostname: string,
    options: number | { family?: number | string; all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    const opts = typeof options === 'object' ? options : { family: options };
    const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : opts.family;
    const usable =
      family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    if (usable.length === 0) {
      const error = Object.assign(new Error(`no checked address for ${hostname}`), {
        code: 'ENOTFOUND',
      });
      callback(error);
    } else if (opts.all)
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, usable[0].address, usable[0].family);
  }) as unknown as LookupFunction;
}
