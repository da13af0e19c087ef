import type { AdminHarness } from './admin-harness';
import { graphAsApp as graphAsSimApp } from './graph-as-app';

export interface SimContact {
  id: string;
  displayName?: string;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
}

/** Contacts carrying our CsListId ownership tag. */
export function ourItems(contacts: SimContact[]): SimContact[] {
  return contacts.filter((c) =>
    (c.singleValueExtendedProperties ?? []).some((p) => /Name CsListId$/i.test(p.id)),
  );
}

/** A mailbox's contacts as the simulator holds them (/_sim inspection, not Graph). */
export async function simContacts(
  h: AdminHarness,
  tid: string,
  userId: string,
): Promise<SimContact[]> {
  const res = await h
    .browser()
    .request<{ contacts: SimContact[] }>(
      'GET',
      `${h.sim.baseUrl}/_sim/tenants/${tid}/users/${userId}/mailbox`,
    );
  if (res.status !== 200) throw new Error(`sim mailbox ${res.status}`);
  return res.body.contacts;
}

/** A /_sim control call (fault injection, consent changes). */
export async function simControl(h: AdminHarness, method: string, path: string, body?: unknown) {
  const res = await h.browser().request(method, `${h.sim.baseUrl}/_sim${path}`, { body });
  if (res.status !== 200) throw new Error(`sim ${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}

/** A Graph call as our app in the tenant, e.g. to create a user's own contact as Outlook would. */
export function graphAsApp<T = unknown>(
  h: AdminHarness,
  tid: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return graphAsSimApp<T>(h.sim, h.dispatcher, tid, method, path, body);
}

export const DIRECTORY_SETTINGS = {
  sources: [
    {
      id: 'dir',
      kind: 'directory',
      mapping: { keyPath: 'id', fields: { displayName: 'displayName', jobTitle: 'jobTitle' } },
    },
  ],
};

/** Polls a run until it has ended. */
/** One mailbox's outcome in a run, as `GET /api/runs/:id/mailboxes` pages them. */
export interface RunMailboxOutcome {
  mailboxId: string;
  status: string;
  code: string | null;
  message: string | null;
  items: { created: number; updated: number; deleted: number };
}

/** Every per-mailbox outcome of a run, following the route's cursor. */
export async function runOutcomes(
  b: { request: <R>(m: string, u: string) => Promise<{ status: number; body: R }> },
  runId: string,
): Promise<RunMailboxOutcome[]> {
  const out: RunMailboxOutcome[] = [];
  let cursor: string | null = null;
  do {
    const page: {
      status: number;
      body: { items: RunMailboxOutcome[]; nextCursor: string | null };
    } = await b.request(
      'GET',
      `/api/runs/${runId}/mailboxes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`outcomes of run ${runId}: HTTP ${page.status}`);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

export async function waitRun<T extends { status: string }>(
  b: { request: <R>(m: string, u: string) => Promise<{ body: R }> },
  runId: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await b.request<T>('GET', `/api/runs/${runId}`);
    if (r.body && !['queued', 'running'].includes(r.body.status)) return r.body;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} did not end: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
