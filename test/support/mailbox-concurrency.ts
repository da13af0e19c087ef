import type { Agent } from 'undici';

/**
 * Requests the simulator refused for the 4-concurrent-requests limit of an app and mailbox
 * since its stats were last cleared (0 when it cannot be read). With its default service time,
 * requests to one mailbox overlap in every test, so the product must meet the limit everywhere:
 * the e2e harnesses fail a file that went over it (ADR 0055).
 */
export async function mailboxConcurrencyRefusals(
  baseUrl: string,
  dispatcher: Agent,
): Promise<number> {
  try {
    const res = await fetch(`${baseUrl}/_sim/stats`, { dispatcher } as RequestInit);
    const body = (await res.json()) as { concurrencyRefused?: number };
    return body.concurrencyRefused ?? 0;
  } catch {
    return 0;
  }
}

export function mailboxConcurrencyError(refused: number): Error {
  return new Error(
    `the product sent more than 4 concurrent requests to one mailbox: the simulator refused ` +
      `${refused} (429 MailboxConcurrency); see /_sim/stats mailboxes`,
  );
}
