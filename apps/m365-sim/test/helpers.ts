/**
 * Test helpers: start the simulator in-process on an ephemeral port and point the real
 * client libraries at it, trusting its CA explicitly (no NODE_EXTRA_CA_CERTS needed).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { startSimulator, type RunningSimulator, type SimOptionsInput } from '../src';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export async function startTestSim(opts: SimOptionsInput = {}): Promise<RunningSimulator> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-sim-test-'));
  return startSimulator({
    port: 0,
    tenants: 1,
    usersPerTenant: 30,
    seed: 7,
    quiet: true,
    dataDir,
    ...opts,
  });
}

/** undici dispatcher trusting the simulator's CA, for fetch() and the Graph client. */
export function simDispatcher(sim: RunningSimulator): Agent {
  return new Agent({ connect: { ca: sim.caPem } });
}

export function credential(
  sim: RunningSimulator,
  tenantId: string,
  secret?: string,
  clientId?: string,
): ClientSecretCredential {
  const app = sim.info.apps[0];
  return new ClientSecretCredential(
    tenantId,
    clientId ?? app.clientId,
    secret ?? app.clientSecret,
    {
      authorityHost: sim.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sim.caPem },
    } as ConstructorParameters<typeof ClientSecretCredential>[3],
  );
}

export function graphClient(
  sim: RunningSimulator,
  cred: ClientSecretCredential,
  dispatcher: Agent,
  extra: { middleware?: never } = {},
): Client {
  void extra;
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(cred, { scopes: [GRAPH_SCOPE] }),
    baseUrl: sim.baseUrl,
    customHosts: new Set([sim.host]),
    fetchOptions: { dispatcher } as RequestInit,
  });
}

// JSON answers of arbitrary shape: tests assert on them field by field
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function simFetch(
  sim: RunningSimulator,
  dispatcher: Agent,
  p: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Json; headers: Headers; text: string }> {
  const res = await fetch(sim.baseUrl + p, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
    redirect: 'manual',
    dispatcher,
  } as RequestInit);
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers, text };
}

export async function consent(
  sim: RunningSimulator,
  dispatcher: Agent,
  tenantId: string,
  roles?: string[],
): Promise<void> {
  const r = await simFetch(sim, dispatcher, `/_sim/tenants/${tenantId}/consent`, {
    method: 'POST',
    body: roles ? { roles } : {},
  });
  if (r.status !== 200) throw new Error('consent failed ' + r.text);
}

/** A raw app-only token via fetch (for tests that need many tokens quickly). */
export async function appToken(
  sim: RunningSimulator,
  dispatcher: Agent,
  tenantId: string,
): Promise<string> {
  return appTokenAt(sim.baseUrl, sim.info.apps[0], dispatcher, tenantId);
}

/** The same, for a simulator known only by its address (one started as a child process). */
export async function appTokenAt(
  baseUrl: string,
  app: { clientId: string; clientSecret: string },
  dispatcher: Agent,
  tenantId: string,
): Promise<string> {
  const res = await fetch(`${baseUrl}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: GRAPH_SCOPE,
    }).toString(),
    dispatcher,
  } as RequestInit);
  const j = (await res.json()) as { access_token?: string };
  if (!j.access_token) throw new Error('no token: ' + JSON.stringify(j));
  return j.access_token;
}

/**
 * A delegated access token of `upn` (authorization code + PKCE through the simulator's sign-in
 * page, scope `User.Read`), for APIs Graph offers to delegated callers only.
 */
export async function delegatedToken(
  sim: RunningSimulator,
  dispatcher: Agent,
  tenantId: string,
  upn: string,
): Promise<string> {
  const app = sim.info.apps[0];
  const redirect = 'http://127.0.0.1:4711/api/auth/callback';
  const verifier = randomBytes(32).toString('base64url');
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const authz = await simFetch(sim, dispatcher, `/${tenantId}/oauth2/v2.0/authorize`, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: redirect,
      scope: 'openid profile User.Read',
      state: 's',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      action: 'signin',
      login: upn,
    }).toString(),
  });
  const location = authz.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`sign-in failed: ${authz.status} ${authz.text}`);
  const tok = await simFetch(sim, dispatcher, `/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
      redirect_uri: redirect,
      code_verifier: verifier,
    }).toString(),
  });
  if (!tok.json?.access_token) throw new Error(`token failed: ${tok.text}`);
  return tok.json.access_token as string;
}

/** The Graph client with a fixed bearer token (a delegated one from `delegatedToken`). */
export function graphClientWithToken(
  sim: RunningSimulator,
  token: string,
  dispatcher: Agent,
): Client {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: sim.baseUrl,
    customHosts: new Set([sim.host]),
    fetchOptions: { dispatcher } as RequestInit,
  });
}
