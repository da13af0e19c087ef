import type { Agent } from 'undici';
import type { RunningSimulator } from '../../apps/m365-sim/src';

/**
 * A Graph call as our app in a simulated tenant (client credentials, then the request), e.g. to
 * create a user's own contact as the user's Outlook would.
 */
export async function graphAsApp<T = unknown>(
  sim: RunningSimulator,
  dispatcher: Agent,
  tenantId: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const app = sim.info.apps[0];
  const tokenRes = await fetch(`${sim.baseUrl}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
    dispatcher,
  } as RequestInit);
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const res = await fetch(`${sim.baseUrl}/v1.0${path}`, {
    method,
    headers: {
      authorization: `Bearer ${access_token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher,
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
