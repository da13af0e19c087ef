/**
 * JSON batching (learn.microsoft.com/graph/json-batching): at most 20 requests; each one is
 * authorised, counted and throttled on its own; dependsOn sequences requests and a failed
 * dependency answers 424; responses come back in completion order (match them by id).
 * Dispatch to one mailbox: at most 4 sub-requests at a time ('outlook4', as Microsoft staff
 * describe Graph's dispatch to Outlook) or all at once ('strict', as some field reports say).
 */
import type { AuthContext, SimState } from '../sim';
import { GraphError, errorBody } from './errors';
import type { GraphDispatcher } from './dispatch';
import type { GRes } from './types';
import { newRequestId } from '../core/http';

interface SubReq {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

class Semaphore {
  private active = 0;
  private queue: (() => void)[] = [];
  constructor(private max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

function parse(payload: unknown): SubReq[] {
  if (
    !payload ||
    typeof payload !== 'object' ||
    !Array.isArray((payload as { requests?: unknown }).requests)
  ) {
    throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
  }
  const reqs = (payload as { requests: unknown[] }).requests;
  if (reqs.length === 0)
    throw new GraphError(
      400,
      'BadRequest',
      'Invalid batch payload format: the requests collection is empty.',
    );
  if (reqs.length > 20)
    throw new GraphError(
      400,
      'BadRequest',
      'Invalid batch payload format: the number of requests in a batch cannot exceed 20.',
    );
  const ids = new Set<string>();
  const out: SubReq[] = [];
  for (const r of reqs) {
    if (!r || typeof r !== 'object')
      throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
    const o = r as Record<string, unknown>;
    const id = typeof o.id === 'number' ? String(o.id) : o.id;
    if (typeof id !== 'string' || !id)
      throw new GraphError(
        400,
        'BadRequest',
        'Invalid batch payload format: every request needs an id.',
      );
    if (ids.has(id))
      throw new GraphError(
        400,
        'BadRequest',
        `Invalid batch payload format: duplicate request id '${id}'.`,
      );
    ids.add(id);
    if (
      typeof o.method !== 'string' ||
      !['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(o.method.toUpperCase())
    ) {
      throw new GraphError(
        400,
        'BadRequest',
        `Invalid batch payload format: request id ${id} has an invalid method.`,
      );
    }
    if (typeof o.url !== 'string' || !o.url || /^https?:/i.test(o.url)) {
      throw new GraphError(
        400,
        'BadRequest',
        `Invalid batch payload format: request id ${id} needs a relative url.`,
      );
    }
    const headers: Record<string, string> = {};
    if (o.headers !== undefined) {
      if (!o.headers || typeof o.headers !== 'object')
        throw new GraphError(
          400,
          'BadRequest',
          'Invalid batch payload format: headers must be an object.',
        );
      for (const [k, v] of Object.entries(o.headers as Record<string, unknown>))
        headers[k.toLowerCase()] = String(v);
    }
    const method = o.method.toUpperCase();
    if (o.body !== undefined && !headers['content-type']) {
      throw new GraphError(
        400,
        'BadRequest',
        `Write request id : ${id} does not contain Content-Type header or body.`,
      );
    }
    if ((method === 'POST' || method === 'PATCH' || method === 'PUT') && o.body === undefined) {
      throw new GraphError(
        400,
        'BadRequest',
        `Write request id : ${id} does not contain Content-Type header or body.`,
      );
    }
    let dependsOn: string[] = [];
    if (o.dependsOn !== undefined) {
      if (
        !Array.isArray(o.dependsOn) ||
        o.dependsOn.some((d) => typeof d !== 'string' && typeof d !== 'number')
      ) {
        throw new GraphError(
          400,
          'BadRequest',
          'Invalid batch payload format: dependsOn must be an array of ids.',
        );
      }
      dependsOn = o.dependsOn.map(String);
    }
    out.push({ id, method, url: o.url, headers, body: o.body, dependsOn });
  }
  for (const r of out) {
    for (const d of r.dependsOn) {
      if (!ids.has(d) || d === r.id)
        throw new GraphError(
          400,
          'BadRequest',
          `Invalid batch payload format: request id ${r.id} depends on unknown request '${d}'.`,
        );
    }
  }
  // cycles
  const order = new Map<string, number>();
  const visit = (id: string, stack: Set<string>): void => {
    if (stack.has(id))
      throw new GraphError(
        400,
        'BadRequest',
        'Invalid batch payload format: dependsOn has a cycle.',
      );
    if (order.has(id)) return;
    stack.add(id);
    for (const d of out.find((x) => x.id === id)!.dependsOn) visit(d, stack);
    stack.delete(id);
    order.set(id, order.size);
  };
  for (const r of out) visit(r.id, new Set());
  return out;
}

export async function runBatch(
  sim: SimState,
  graph: GraphDispatcher,
  payload: unknown,
  auth: AuthContext,
  clientRequestId: string,
  receivedAt = Date.now(),
): Promise<GRes> {
  const reqs = parse(payload);
  sim.stat('batch').count++;
  const mode = sim.batchMode;
  const sems = new Map<string, Semaphore>();
  const mailboxOf = (url: string): string | undefined => {
    const m =
      /^\/?users\/([^/?]+)\/(contacts|contactFolders|events|calendar|calendars|calendarView|mailboxSettings|outlook)/i.exec(
        url,
      );
    if (!m) return undefined;
    try {
      return decodeURIComponent(m[1]).toLowerCase();
    } catch {
      return m[1].toLowerCase();
    }
  };
  const results = new Map<
    string,
    Promise<{ id: string; status: number; headers: Record<string, string>; body?: unknown }>
  >();
  const responses: {
    id: string;
    status: number;
    headers: Record<string, string>;
    body?: unknown;
  }[] = [];
  const runOne = async (r: SubReq) => {
    const deps = await Promise.all(r.dependsOn.map((d) => results.get(d)!));
    if (deps.some((d) => d.status >= 400)) {
      return {
        id: r.id,
        status: 424,
        headers: { 'Content-Type': 'application/json' },
        body: errorBody(
          'FailedDependency',
          'The request failed because a request it depends on failed.',
          newRequestId(),
          clientRequestId,
        ),
      };
    }
    const exec = async () => {
      let u: URL;
      try {
        u = new URL(r.url.startsWith('/') ? r.url : '/' + r.url, 'https://sim.invalid');
      } catch {
        return {
          id: r.id,
          status: 400,
          headers: { 'Content-Type': 'application/json' },
          body: errorBody('BadRequest', 'Invalid request URL.', newRequestId(), clientRequestId),
        };
      }
      if (/^\/\$batch$/i.test(u.pathname)) {
        return {
          id: r.id,
          status: 400,
          headers: { 'Content-Type': 'application/json' },
          body: errorBody(
            'BadRequest',
            'Nested batch requests are not supported.',
            newRequestId(),
            clientRequestId,
          ),
        };
      }
      const rid = newRequestId();
      const path = u.pathname.replace(/^\/v1\.0(?=\/)/i, '');
      const burst = sim.faults.takeSubRequestBurst(path);
      if (burst) {
        return {
          id: r.id,
          status: burst.status,
          headers: {
            'Content-Type': 'application/json',
            ...(burst.retryAfterSeconds !== undefined
              ? { 'Retry-After': String(burst.retryAfterSeconds) }
              : {}),
          },
          body: errorBody(
            burst.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
            'The service is temporarily unavailable. (simulated fault)',
            rid,
            clientRequestId,
          ),
        };
      }
      try {
        const res = await graph.dispatch(
          {
            method: r.method,
            path,
            query: u.searchParams,
            headers: r.headers,
            jsonBody: r.body,
            receivedAt,
          },
          auth,
        );
        const headers: Record<string, string> = { ...(res.headers ?? {}) };
        let body: unknown = res.body;
        if (res.raw) {
          headers['Content-Type'] = res.contentType ?? 'application/octet-stream';
          body = res.raw.toString('base64');
        } else if (body !== undefined)
          headers['Content-Type'] =
            'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
        return { id: r.id, status: res.status, headers, body };
      } catch (e) {
        if (e instanceof GraphError) {
          return {
            id: r.id,
            status: e.status,
            headers: { 'Content-Type': 'application/json', ...e.headers },
            body: errorBody(e.code, e.message, rid, clientRequestId),
          };
        }
        return {
          id: r.id,
          status: 500,
          headers: { 'Content-Type': 'application/json' },
          body: errorBody(
            'generalException',
            'General exception while processing.',
            rid,
            clientRequestId,
          ),
        };
      }
    };
    const mbx = mailboxOf(r.url);
    if (mode === 'outlook4' && mbx) {
      let s = sems.get(mbx);
      if (!s) sems.set(mbx, (s = new Semaphore(sim.opts.throttle.mailboxConcurrency)));
      return s.run(exec);
    }
    return exec();
  };
  type Resp = { id: string; status: number; headers: Record<string, string>; body?: unknown };
  const resolvers = new Map<string, (v: Resp) => void>();
  for (const r of reqs) results.set(r.id, new Promise<Resp>((res) => resolvers.set(r.id, res)));
  await Promise.all(
    reqs.map(async (r) => {
      const x = await runOne(r);
      responses.push(x);
      resolvers.get(r.id)!(x);
    }),
  );
  return { status: 200, body: { responses } };
}
