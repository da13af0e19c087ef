import { CodedError } from '@app/domain';
import {
  getFromCheckedTarget,
  WebhookTargetPolicy,
  WebhookTargetRefused,
  type HostResolver,
} from '@app/outbound';

/** What the last fetch of a feed left for the next conditional GET. */
export interface FeedValidators {
  etag?: string;
  lastModified?: string;
}

export type FeedFetch =
  { kind: 'unchanged' } | { kind: 'changed'; text: string; validators: FeedValidators };

export interface CalendarFeedRules {
  /** CIDRs the operator allows although not public (an internal feed server). */
  allowedNetworks: readonly string[];
  /** Extra trusted CAs (PEM texts) for https. */
  ca?: string[];
  timeoutMs: number;
  maxBytes: number;
}

/**
 * Fetches an iCalendar feed URL on a list's schedule: https only, the host checked like an alert
 * webhook's (public addresses only unless the operator allows a network) and pinned between
 * check and connect (DNS rebinding), a conditional GET with the last ETag / Last-Modified, within
 * a time and size limit. A 304 costs one request and nothing else. Errors are coded
 * (calendar_feed_refused, calendar_feed_failed) with a reason the admin can act on.
 */
export class CalendarFeedFetcher {
  private readonly policy: WebhookTargetPolicy;

  constructor(
    private readonly rules: CalendarFeedRules,
    resolver: HostResolver,
  ) {
    this.policy = new WebhookTargetPolicy(
      { allowHttp: false, allowPrivateNetworks: false, allowedNetworks: rules.allowedNetworks },
      resolver,
    );
  }

  /** Checks a feed URL when an admin saves it (the same check runs again at every fetch). */
  async check(url: string): Promise<void> {
    await this.target(url);
  }

  async fetch(url: string, validators: FeedValidators = {}): Promise<FeedFetch> {
    const target = await this.target(url);
    let res;
    try {
      res = await getFromCheckedTarget(target, {
        headers: {
          accept: 'text/calendar, text/plain;q=0.5',
          'user-agent': 'contact-sync-calendar-feed',
          ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
          ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
        },
        ...(this.rules.ca ? { ca: this.rules.ca } : {}),
        timeoutMs: this.rules.timeoutMs,
        maxBytes: this.rules.maxBytes,
      });
    } catch (error) {
      if (error instanceof CodedError) throw error;
      throw new CodedError(
        'calendar_feed_failed',
        `the feed could not be fetched: ${(error as Error).message}`,
        {
          status: 502,
          cause: error,
        },
      );
    }
    if (res.status === 304) return { kind: 'unchanged' };
    if (res.status !== 200)
      throw new CodedError('calendar_feed_failed', `the feed answered HTTP ${res.status}`, {
        status: 502,
        details: { httpStatus: res.status },
      });
    const charset = /charset=([^;]+)/i
      .exec(res.headers['content-type'] ?? '')?.[1]
      ?.trim()
      .toLowerCase();
    if (charset && !['utf-8', 'utf8', 'us-ascii'].includes(charset))
      throw new CodedError(
        'calendar_feed_failed',
        `the feed is in ${charset}; iCalendar is UTF-8`,
        {
          status: 502,
        },
      );
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(res.body);
    } catch {
      throw new CodedError('calendar_feed_failed', 'the feed is not valid UTF-8', { status: 502 });
    }
    return {
      kind: 'changed',
      text,
      validators: {
        ...(res.headers.etag ? { etag: res.headers.etag } : {}),
        ...(res.headers['last-modified'] ? { lastModified: res.headers['last-modified'] } : {}),
      },
    };
  }

  private async target(url: string) {
    try {
      return await this.policy.check(url);
    } catch (error) {
      if (error instanceof WebhookTargetRefused)
        throw new CodedError('calendar_feed_refused', `feed URL refused: ${error.message}`, {
          status: 400,
          details: { reason: error.code },
        });
      if (error instanceof TypeError)
        throw new CodedError('calendar_feed_refused', 'feed URL refused: not a URL', {
          status: 400,
        });
      throw error;
    }
  }
}
