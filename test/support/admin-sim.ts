import type { AdminHarness } from './admin-harness';

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
export async function graphAsApp<T = unknown>(
  h: AdminHarness,
  tid: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const app = h.sim.info.apps[0];
  const tokenRes = await fetch(`${h.sim.baseUrl}/${tid}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
    dispatcher: h.dispatcher,
  } as RequestInit);
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const res = await fetch(`${h.sim.baseUrl}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: h.dispatcher,
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
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
