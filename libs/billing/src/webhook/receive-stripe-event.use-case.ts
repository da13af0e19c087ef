import type { StripeEventRepository } from '@app/persistence';
import type { SyncQueues } from '@app/queue';
import { eventTenantHint } from './event-tenant-hint';
import type { StripeWebhookVerifier } from './stripe-webhook-verifier';

export interface ReceivedStripeEvent {
  eventId: string;
  type: string;
  duplicate: boolean;
  queued: boolean;
}

/**
 * The webhook: verify the delivery, store the event in SQL (unique on its id) before answering,
 * then queue it. A repeat delivery answers 200 and does nothing; an event stored but not
 * queued (crash, Redis down or emptied) is queued again by the sweep.
 */
export class ReceiveStripeEventUseCase {
  constructor(
    private readonly verifier: StripeWebhookVerifier,
    private readonly events: StripeEventRepository,
    private readonly queues: SyncQueues,
    private readonly onQueueFailure: (error: unknown, eventId: string) => void = () => undefined,
  ) {}

  async execute(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<ReceivedStripeEvent> {
    const event = this.verifier.verify(rawBody, signature);
    const stored = await this.events.store({
      eventId: event.id,
      type: event.type,
      tenantId: eventTenantHint(event),
      createdAt: new Date(event.created * 1000),
      payload: rawBody!.toString('utf8'),
    });
    const base = { eventId: event.id, type: event.type };
    if (stored.stored === 'duplicate' || stored.row.status !== 'received')
      return { ...base, duplicate: stored.stored === 'duplicate', queued: false };
    try {
      await withTimeout(this.queues.enqueueStripeEvent({ eventRowId: stored.row.id }), 3_000);
      return { ...base, duplicate: false, queued: true };
    } catch (error) {
      // Stored is enough to answer 200: the sweep queues it later.
      this.onQueueFailure(error, event.id);
      return { ...base, duplicate: false, queued: false };
    }
  }
}

/** Redis that does not answer must not hold Stripe's request until it times out and retries. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queueing took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
