import { createHash, randomBytes } from 'node:crypto';
import * as https from 'node:https';
import { createRemoteJWKSet, jwtVerify, decodeJwt } from 'jose';
import type { Agent } from 'undici';
import type * as MG from '@microsoft/microsoft-graph-types';
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { RunningSimulator } from '../src';
import {
  appToken,
  credential,
  graphClient,
  GRAPH_SCOPE,
  simDispatcher,
  simFetch,
  startTestSim,
} from './helpers';

describe('m365-sim identity (Entra ID)', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let tid: string;
  beforeAll(async () => {
    sim = await startTestSim({ tokenLifetimeSeconds: 3 });
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  it('refuses client credentials before consent with AADSTS7000229, then issues a token with roles after consent', async () => {
    const cred = credential(sim, tid);
    await expect(cred.getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS7000229/);
    await simFetch(sim, d, `/_sim/tenants/${tid}/consent`, { method: 'POST' });
    const tok = await credential(sim, tid).getToken(GRAPH_SCOPE);
    const claims = decodeJwt(tok.token);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(claims.tid).toBe(tid);
    expect(claims.iss).toBe(`https://sts.windows.net/${tid}/`);
    expect(claims.roles).toEqual(expect.arrayContaining(['User.Read.All', 'Contacts.ReadWrite']));
    expect(typeof claims.exp).toBe('number');
    expect(typeof claims.nbf).toBe('number');
    expect(claims.oid).toBeTruthy();
  });

  it('rejects a wrong secret (AADSTS7000215) and an unknown app (AADSTS700016)', async () => {
    await expect(credential(sim, tid, 'wrong').getToken(GRAPH_SCOPE)).rejects.toThrow(
      /AADSTS7000215/,
    );
    await expect(
      credential(sim, tid, 'x', '11111111-2222-3333-4444-555555555555').getToken(GRAPH_SCOPE),
    ).rejects.toThrow(/AADSTS700016/);
  });

  it('after revocation: new tokens fail, the issued token works until it expires', async () => {
    await simFetch(sim, d, `/_sim/tenants/${tid}/consent`, { method: 'POST' });
    const token = await appToken(sim, d, tid);
    // a Graph client holding an already issued token
    const client = Client.initWithMiddleware({
      authProvider: { getAccessToken: async () => token },
      baseUrl: sim.baseUrl,
      customHosts: new Set([sim.host]),
      fetchOptions: { dispatcher: d } as RequestInit,
    });
    const before = await client.api('/users').top(1).get();
    expect(before.value).toHaveLength(1);
    await simFetch(sim, d, `/_sim/tenants/${tid}/consent`, { method: 'DELETE' });
    await expect(credential(sim, tid).getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS7000229/);
    const again = await client.api('/users').top(1).get();
    expect(again.value).toHaveLength(1);
    // The issued token reaches its end of life, through the simulator's control.
    const { tokensNotBefore } = (
      await simFetch(sim, d, `/_sim/tenants/${tid}/expire-tokens`, { method: 'POST' })
    ).json as { tokensNotBefore: number };
    const e: GraphError = await client
      .api('/users')
      .top(1)
      .get()
      .catch((x: GraphError) => x);
    expect(e.statusCode).toBe(401);
    expect(e.code).toBe('InvalidAuthenticationToken');
    expect(e.message).toMatch(/expired/);
    // Tokens issued from now on start at tokensNotBefore: let that second begin, so the next
    // tests' tokens are valid when checked.
    while (Date.now() < tokensNotBefore * 1000) await new Promise((r) => setTimeout(r, 20));
  });

  it('a removed permission answers 403', async () => {
    await simFetch(sim, d, `/_sim/tenants/${tid}/consent`, { method: 'POST' });
    await simFetch(
      sim,
      d,
      `/_sim/tenants/${tid}/consent/${sim.info.apps[0].clientId}/roles/Contacts.ReadWrite`,
      { method: 'DELETE' },
    );
    await simFetch(
      sim,
      d,
      `/_sim/tenants/${tid}/consent/${sim.info.apps[0].clientId}/roles/User.Read.All`,
      { method: 'DELETE' },
    );
    const client = graphClient(sim, credential(sim, tid), d);
    const admin = sim.info.tenants[0].adminId;
    const e1: GraphError = await client
      .api(`/users/${admin}/contacts`)
      .get()
      .catch((e: GraphError) => e);
    expect(e1.statusCode).toBe(403);
    expect(e1.code).toBe('ErrorAccessDenied');
    const e2: GraphError = await client
      .api('/users')
      .get()
      .catch((e: GraphError) => e);
    expect(e2.statusCode).toBe(403);
    expect(e2.code).toBe('Authorization_RequestDenied');
    // still-granted permission keeps working
    const cal = await client.api(`/users/${admin}/calendars`).get();
    expect(cal.value.length).toBeGreaterThan(0);
  });

  it('admin consent redirect carries admin_consent, tenant, state and scope; cancel gives access_denied', async () => {
    await simFetch(sim, d, `/_sim/tenants/${tid}/consent`, { method: 'DELETE' });
    const app = sim.info.apps[0];
    const q = new URLSearchParams({
      client_id: app.clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: 'http://localhost:3000/api/onboarding/callback',
      state: 'st-123',
    });
    const page = await simFetch(sim, d, `/organizations/v2.0/adminconsent?${q}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Contacts.ReadWrite');
    const accept = await simFetch(sim, d, `/organizations/v2.0/adminconsent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...Object.fromEntries(q),
        action: 'accept',
        login: sim.info.tenants[0].adminUpn,
      }).toString(),
    });
    expect(accept.status).toBe(302);
    const loc = new URL(accept.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('http://localhost:3000/api/onboarding/callback');
    expect(loc.searchParams.get('admin_consent')).toBe('True');
    expect(loc.searchParams.get('tenant')).toBe(tid);
    expect(loc.searchParams.get('state')).toBe('st-123');
    expect(loc.searchParams.get('scope')).toContain(
      'https://graph.microsoft.com/Contacts.ReadWrite',
    );
    await expect(credential(sim, tid).getToken(GRAPH_SCOPE)).resolves.toBeTruthy();
    const cancel = await simFetch(sim, d, `/${tid}/v2.0/adminconsent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...Object.fromEntries(q), action: 'cancel' }).toString(),
    });
    const cl = new URL(cancel.headers.get('location')!);
    expect(cl.searchParams.get('error')).toBe('access_denied');
    expect(cl.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
    expect(cl.searchParams.get('state')).toBe('st-123');
  });

  it('authorization code + PKCE gives an ID token that validates with jose against the JWKS and the issuer template', async () => {
    const app = sim.info.apps[0];
    const disc = await simFetch(sim, d, '/organizations/v2.0/.well-known/openid-configuration');
    expect(disc.json.issuer).toBe(`${sim.baseUrl}/{tenantid}/v2.0`);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://localhost:3000/api/auth/callback';
    const authz = await simFetch(sim, d, new URL(disc.json.authorization_endpoint).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: app.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid profile offline_access',
        state: 's1',
        nonce: 'n1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        action: 'signin',
        login: sim.info.tenants[0].adminUpn,
      }).toString(),
    });
    expect(authz.status).toBe(302);
    const cb = new URL(authz.headers.get('location')!);
    expect(cb.searchParams.get('state')).toBe('s1');
    const code = cb.searchParams.get('code')!;
    const tokenPath = new URL(disc.json.token_endpoint).pathname;
    const bad = await simFetch(sim, d, tokenPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: app.clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: 'wrong',
      }).toString(),
    });
    expect(bad.json.error).toBe('invalid_grant');
    // the code was consumed by the failed attempt: get a new one
    const authz2 = await simFetch(sim, d, new URL(disc.json.authorization_endpoint).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: app.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid profile offline_access',
        state: 's2',
        nonce: 'n2',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        action: 'signin',
        login: sim.info.tenants[0].adminUpn,
      }).toString(),
    });
    const code2 = new URL(authz2.headers.get('location')!).searchParams.get('code')!;
    const tok = await simFetch(sim, d, tokenPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: app.clientId,
        code: code2,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
    });
    expect(tok.status).toBe(200);
    // jose's createRemoteJWKSet uses node:https: give it an agent trusting the simulator's CA
    const jwks = createRemoteJWKSet(new URL(disc.json.jwks_uri), {
      agent: new https.Agent({ ca: sim.caPem }),
    });
    const unverified = decodeJwt(tok.json.id_token);
    const expectedIss = disc.json.issuer.replace('{tenantid}', String(unverified.tid));
    const { payload } = await jwtVerify(tok.json.id_token, jwks, {
      issuer: expectedIss,
      audience: app.clientId,
    });
    expect(payload.tid).toBe(tid);
    expect(payload.nonce).toBe('n2');
    expect(payload.preferred_username).toBe(sim.info.tenants[0].adminUpn);
    expect(payload.roles).toEqual(['Sync.Admin']);
    expect(tok.json.refresh_token).toBeTruthy();
    const refreshed = await simFetch(sim, d, tokenPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: app.clientId,
        refresh_token: tok.json.refresh_token,
      }).toString(),
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.json.access_token).scp).toBeDefined();
    const u: MG.User = (
      await simFetch(sim, d, '/v1.0/me', {
        headers: { authorization: `Bearer ${refreshed.json.access_token}` },
      })
    ).json;
    expect(u.userPrincipalName).toBe(sim.info.tenants[0].adminUpn);
    const ui = await simFetch(sim, d, new URL(disc.json.userinfo_endpoint).pathname, {
      headers: { authorization: `Bearer ${refreshed.json.access_token}` },
    });
    expect(ui.json.sub).toBe(sim.info.tenants[0].adminId);
  });

  it('token endpoint outage answers 503 temporarily_unavailable', async () => {
    await simFetch(sim, d, '/_sim/faults', { method: 'PUT', body: { tokenOutage: { count: 1 } } });
    const r = await simFetch(sim, d, `/${tid}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.info.apps[0].clientId,
        client_secret: sim.info.apps[0].clientSecret,
        scope: GRAPH_SCOPE,
      }).toString(),
    });
    expect(r.status).toBe(503);
    expect(r.json.error).toBe('temporarily_unavailable');
    await simFetch(sim, d, '/_sim/faults', { method: 'DELETE' });
  });
});
