import type { MicrosoftConfig } from '@app/config';
import { type FleetMetrics, NoopMetrics } from '@app/metrics';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  ResponseType,
  type GraphRequest,
} from '@microsoft/microsoft-graph-client';
import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import type { TenantTokenProvider } from '../identity/tenant-token-provider';
import { MicrosoftError } from '../microsoft-error';
import type { AppRequestBudget } from './app-request-budget';
import type { GraphCall, GraphErrorBody, GraphResponse, TenantRef } from './graph-types';
import type { MailboxGate } from './mailbox-gate';
import { parseRetryAfter, RETRYABLE_STATUSES } from './retry-after';

export interface GraphGatewayOptions {
  /** A Retry-After up to this is waited out; longer throws THROTTLED so the job is rescheduled. */
  maxInlineRetryMs: number;
  /** Attempts of one request through 429/503/504 and network errors before giving up. */
  maxAttempts: number;
}

export interface BatchOutcome {
  /** Aligned with the calls; undefined for a call still throttled when we gave up waiting. */
  responses: Array<GraphResponse | undefined>;
  /** Set when some calls are still throttled: how long Graph asked us to wait. */
  throttledForMs?: number;
}

const MAX_BATCH = 20;

/**
 * Every Graph request of the product goes through here: the official Graph client (with our
 * token provider), the fleet-wide app budget, the mailbox's Retry-After gate, and retries of
 * 429/503/504 — of whole requests and of $batch sub-requests, which the SDK's own retry
 * handler does not look inside.
 */
export class GraphGateway {
  private readonly clients = new Map<string, Client>();
  private readonly dispatcher?: Agent;

  constructor(
    private readonly config: MicrosoftConfig | undefined,
    private readonly tokens: TenantTokenProvider,
    private readonly budget: AppRequestBudget,
    private readonly options: GraphGatewayOptions,
    private readonly metrics: FleetMetrics = new NoopMetrics(),
  ) {
    if (config?.caFile)
      this.dispatcher = new Agent({ connect: { ca: readFileSync(config.caFile, 'utf8') } });
  }

  /**
   * One request, retried through throttling and transient failures; the final response otherwise.
   * `resendOnLostResponse: false` for requests that create: when the connection fails we cannot
   * know whether they were applied, so the caller re-reads the mailbox instead of sending twice.
   */
  async request<T = unknown>(
    tenant: TenantRef,
    call: GraphCall,
    gate?: MailboxGate,
    options: { resendOnLostResponse?: boolean; mailboxRequests?: number } = {},
  ): Promise<GraphResponse<T>> {
    // A $batch envelope is not a mailbox request; batch() passes the gate for its sub-requests.
    const mailboxRequests = options.mailboxRequests ?? 1;
    let unauthorizedRetried = false;
    for (let attempt = 1; ; attempt++) {
      await gate?.pass(mailboxRequests);
      await this.budget.take(1);
      let response: GraphResponse<T>;
      try {
        response = await this.send<T>(tenant, call);
      } catch (error) {
        if (error instanceof MicrosoftError && error.code !== 'TRANSIENT') throw error;
        if (attempt >= this.options.maxAttempts || options.resendOnLostResponse === false)
          throw asTransient(error);
        await sleep(backoffMs(attempt));
        continue;
      }
      if (response.status === 401 && !unauthorizedRetried) {
        // A cached token the tenant no longer honours: fetch a fresh one once; if consent is
        // gone the token request itself says so (CONSENT_REVOKED).
        unauthorizedRetried = true;
        await this.tokens.invalidate(tenant.id);
        continue;
      }
      if (
        response.status === 400 &&
        !isGraphErrorBody(response.body) &&
        attempt < this.options.maxAttempts
      ) {
        // A 400 without Graph's JSON error body comes from the HTTP layer (a proxy, a parser),
        // not from Graph: the request was not processed, so sending it again is safe.
        await sleep(backoffMs(attempt));
        continue;
      }
      if (!RETRYABLE_STATUSES.has(response.status)) {
        gate?.accepted(mailboxRequests);
        return response;
      }
      const waitMs = parseRetryAfter(response.headers['retry-after'], backoffMs(attempt));
      this.metrics.throttled('graph', response.status, waitMs / 1000);
      if (gate) {
        gate.throttledResponses++;
        if (response.status === 429) gate.throttled(waitMs);
        else gate.block(waitMs);
      }
      if (waitMs > this.options.maxInlineRetryMs || attempt >= this.options.maxAttempts) {
        throw new MicrosoftError(
          'THROTTLED',
          `Graph answered ${response.status} to ${call.method} ${shortPath(call.path)}`,
          {
            status: response.status,
            retryAfterMs: waitMs,
          },
        );
      }
      if (gate) gate.retries++;
      else await sleep(waitMs);
    }
  }

  /**
   * Up to 20 calls in one $batch. Sub-requests answered 429/503/504 are sent again, alone,
   * after the longest Retry-After among them; the others' responses are final.
   */
  async batch(
    tenant: TenantRef,
    calls: readonly GraphCall[],
    gate: MailboxGate,
  ): Promise<BatchOutcome> {
    if (calls.length > MAX_BATCH) throw new Error(`a $batch holds at most ${MAX_BATCH} requests`);
    const responses: Array<GraphResponse | undefined> = calls.map(() => undefined);
    let pending = calls.map((_, index) => index);
    for (let round = 1; pending.length > 0; round++) {
      await gate.pass(pending.length);
      await this.budget.take(pending.length);
      const body = {
        requests: pending.map((index) => ({
          id: String(index),
          method: calls[index].method,
          url: calls[index].path,
          ...(calls[index].body !== undefined
            ? {
                body: calls[index].body,
                headers: { 'Content-Type': 'application/json', ...calls[index].headers },
              }
            : calls[index].headers
              ? { headers: calls[index].headers }
              : {}),
        })),
      };
      const whole = await this.request<{
        responses?: Array<{
          id: string;
          status: number;
          headers?: Record<string, string>;
          body?: unknown;
        }>;
      }>(tenant, { method: 'POST', path: '/$batch', body }, gate, {
        resendOnLostResponse: !pending.some((index) => calls[index].method === 'POST'),
        mailboxRequests: 0,
      });
      if (whole.status !== 200 || !Array.isArray(whole.body?.responses)) {
        throw new MicrosoftError(
          'GRAPH_ERROR',
          `$batch failed with ${whole.status}: ${errorMessage(whole.body)}`,
          {
            status: whole.status,
          },
        );
      }
      let waitMs = 0;
      let throttled = false;
      const stillPending: number[] = [];
      // Responses come back in any order: match them by id.
      for (const sub of whole.body.responses) {
        const index = Number(sub.id);
        const headers = lowerCaseKeys(sub.headers ?? {});
        if (RETRYABLE_STATUSES.has(sub.status)) {
          gate.throttledResponses++;
          if (sub.status === 429) throttled = true;
          stillPending.push(index);
          const subWaitMs = parseRetryAfter(headers['retry-after'], backoffMs(round));
          this.metrics.throttled('graph', sub.status, subWaitMs / 1000);
          waitMs = Math.max(waitMs, subWaitMs);
        } else {
          responses[index] = { status: sub.status, headers, body: sub.body };
        }
      }
      gate.accepted(whole.body.responses.length - stillPending.length);
      pending = stillPending.sort((a, b) => a - b);
      if (pending.length === 0) break;
      if (throttled) gate.throttled(waitMs);
      else gate.block(waitMs);
      if (waitMs > this.options.maxInlineRetryMs || round >= this.options.maxAttempts) {
        return { responses, throttledForMs: waitMs };
      }
      gate.retries++;
    }
    return { responses };
  }

  private client(tenant: TenantRef & { azureTenantId: string }): Client {
    let client = this.clients.get(tenant.id);
    if (!client) {
      const config = this.config;
      if (!config)
        throw new MicrosoftError(
          'NOT_CONFIGURED',
          'No Microsoft app registration: set MICROSOFT_CLIENT_ID',
        );
      const auth = new AuthenticationHandler({
        getAccessToken: () => this.tokens.getToken(tenant.id, tenant.azureTenantId),
      });
      // No SDK RetryHandler: retries live here, where the mailbox gate and the budget are known.
      auth.setNext(new HTTPMessageHandler());
      client = Client.initWithMiddleware({
        middleware: auth,
        baseUrl: config.graphBaseUrl,
        customHosts: new Set([new URL(config.graphBaseUrl).hostname]),
        fetchOptions: this.dispatcher
          ? ({ dispatcher: this.dispatcher } as RequestInit)
          : undefined,
      });
      this.clients.set(tenant.id, client);
    }
    return client;
  }

  private async send<T>(tenant: TenantRef, call: GraphCall): Promise<GraphResponse<T>> {
    // The token first, outside the Graph client: its middleware would wrap a failure (consent
    // revoked) into a generic GraphError and lose the code that stops the tenant's jobs.
    const azureTenantId = tenant.azureTenantId;
    if (!azureTenantId)
      throw new MicrosoftError(
        'NOT_CONFIGURED',
        'this organisation has no Microsoft 365 tenant (EWS only): Graph cannot reach it',
      );
    await this.tokens.getToken(tenant.id, azureTenantId);
    let request: GraphRequest = this.client({ ...tenant, azureTenantId })
      .api(call.path)
      .responseType(ResponseType.RAW);
    if (call.headers) request = request.headers(call.headers);
    let raw: Response;
    const started = performance.now();
    try {
      switch (call.method) {
        case 'GET':
          raw = await request.get();
          break;
        case 'POST':
          raw = await request.post(call.body ?? {});
          break;
        case 'PATCH':
          raw = await request.patch(call.body ?? {});
          break;
        case 'PUT':
          raw = await request.put(call.body);
          break;
        case 'DELETE':
          raw = await request.delete();
          break;
      }
    } catch (error) {
      this.metrics.microsoftRequest('graph', call.method, 0, (performance.now() - started) / 1000);
      if (error instanceof MicrosoftError) throw error;
      throw asTransient(error);
    }
    this.metrics.microsoftRequest(
      'graph',
      call.method,
      raw.status,
      (performance.now() - started) / 1000,
    );
    const headers: Record<string, string> = {};
    raw.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    if (call.binary && raw.status < 300) {
      return { status: raw.status, headers, body: Buffer.from(await raw.arrayBuffer()) as T };
    }
    const text = await raw.text();
    let body: unknown = text;
    if (text && (headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: raw.status, headers, body: body as T };
  }
}

export function errorMessage(body: unknown): string {
  const error = (body as GraphErrorBody | undefined)?.error;
  return error
    ? `${error.code ?? 'error'}: ${error.message ?? ''}`
    : typeof body === 'string'
      ? body.slice(0, 200)
      : 'no body';
}

function isGraphErrorBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error' in body;
}

export function errorCode(body: unknown): string | undefined {
  return (body as GraphErrorBody | undefined)?.error?.code;
}

function asTransient(error: unknown): MicrosoftError {
  const e = error as Error & { cause?: { code?: string } };
  return new MicrosoftError(
    'TRANSIENT',
    `Graph unreachable: ${e.cause?.code ?? e.message ?? String(error)}`,
  );
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function backoffMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

function shortPath(path: string): string {
  return path.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
