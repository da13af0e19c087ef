import { CodedError } from '@app/domain';
import { Agent, request } from 'undici';
import { pinnedLookup } from './post-to-checked-target';
import type { CheckedWebhookTarget } from './webhook-target-policy';

export interface CheckedGetOptions {
  headers: Record<string, string>;
  /** Trusted CAs for https (unset = Node's defaults). */
  ca?: string[];
  timeoutMs: number;
  /** A body longer than this is refused (outbound_response_too_large), not read further. */
  maxBytes: number;
}

export interface CheckedGetResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/**
 * GETs a checked target on a one-off connection pinned to the checked addresses (no DNS
 * rebinding between check and connect), within a time and size limit. Redirects are not
 * followed: a 3xx is the answer (its target would need checking too).
 */
export async function getFromCheckedTarget(
  target: CheckedWebhookTarget,
  options: CheckedGetOptions,
): Promise<CheckedGetResponse> {
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
      method: 'GET',
      headers: options.headers,
      dispatcher: agent,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const chunks: Buffer[] = [];
    let read = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      read += chunk.length;
      if (read > options.maxBytes)
        throw new CodedError(
          'outbound_response_too_large',
          `the answer is larger than ${options.maxBytes} bytes`,
          { status: 400, details: { maxBytes: options.maxBytes } },
        );
      chunks.push(chunk);
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(res.headers))
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return { status: res.statusCode, headers, body: Buffer.concat(chunks) };
  } finally {
    await agent.destroy();
  }
}
