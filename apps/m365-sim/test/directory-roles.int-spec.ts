import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Agent } from 'undici';
import type { RunningSimulator } from '../src';
import { DEFAULT_APP } from '../src/sim-options';
import { simDispatcher, simFetch, startTestSim, type Json } from './helpers';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const PRA = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const APP_ADMIN = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
const DEFAULT_USER = 'b79fbf4d-3ef9-4689-8143-76b194e85509';
const NO_WIDS_APP = '0d6f3b1a-2c4e-4f5a-8b7c-9d0e1f2a3b4c';
const REDIRECT = 'http://127.0.0.1:4711/api/auth/callback';

describe('m365-sim directory roles, wids and redirect URIs (Entra ID)', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let tid: string;
  let plainUpn: string;
  let plainId: string;

  beforeAll(async () => {
    sim = await startTestSim({
      apps: [
        structuredClone(DEFAULT_APP),
        { ...structuredClone(DEFAULT_APP), clientId: NO_WIDS_APP, groupMembershipClaims: 'None' },
      ],
    });
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    const users = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json as Json[];
    const plain = users.find(
      (u) => !u.globalAdmin && u.mailbox === 'cloud' && u.purpose === 'user' && u.accountEnabled,
    );
    plainUpn = plain.userPrincipalName;
    plainId = plain.id;
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  async function setRoles(active: string[], eligible: string[] = []): Promise<void> {
    const r = await simFetch(sim, d, `/_sim/tenants/${tid}/users/${plainId}`, {
      method: 'PATCH',
      body: { directoryRoles: active, eligibleDirectoryRoles: eligible },
    });
    expect(r.status).toBe(200);
  }

  /** Authorization code + PKCE for one user; the token response. */
  async function signIn(upn: string, clientId = DEFAULT_APP.clientId): Promise<Json> {
    const verifier = randomBytes(32).toString('base64url');
    const authz = await simFetch(sim, d, `/organizations/oauth2/v2.0/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'openid profile User.Read',
        state: 'state-1',
        nonce: 'nonce-1',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        action: 'signin',
        login: upn,
      }).toString(),
    });
    expect(`${authz.status} ${authz.status === 302 ? '' : authz.text}`).toBe('302 ');
    const code = new URL(authz.headers.get('location')!).searchParams.get('code')!;
    const tok = await simFetch(sim, d, `/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: DEFAULT_APP.secrets[0],
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }).toString(),
    });
    expect(tok.status).toBe(200);
    return tok.json;
  }

  async function rolesFromGraph(accessToken: string): Promise<string[]> {
    const r = await simFetch(sim, d, '/v1.0/me/memberOf/microsoft.graph.directoryRole', {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(r.status).toBe(200);
    return (r.json.value as Json[]).map((x) => x.roleTemplateId);
  }

  it('wids lists active roles and the default user role when the registration asks for it, and is absent otherwise', async () => {
    const admin = await signIn(sim.info.tenants[0].adminUpn);
    expect(decodeJwt(admin.id_token).wids).toEqual(expect.arrayContaining([GA, DEFAULT_USER]));
    await setRoles([], [GA]);
    const member = await signIn(plainUpn);
    expect(decodeJwt(member.id_token).wids).toEqual([DEFAULT_USER]);
    const other = await signIn(sim.info.tenants[0].adminUpn, NO_WIDS_APP);
    expect(decodeJwt(other.id_token).wids).toBeUndefined();
  });

  it('/me/memberOf/microsoft.graph.directoryRole answers active roles only (not PIM-eligible ones), with User.Read', async () => {
    await setRoles([PRA, APP_ADMIN], [GA]);
    const tok = await signIn(plainUpn, NO_WIDS_APP);
    expect((await rolesFromGraph(tok.access_token)).sort()).toEqual([APP_ADMIN, PRA].sort());
    await setRoles([]);
    const none = await signIn(plainUpn, NO_WIDS_APP);
    expect(await rolesFromGraph(none.access_token)).toEqual([]);
  });

  it('the consent page accepts a Privileged Role Administrator and refuses an Application Administrator or an eligible-only Global Administrator', async () => {
    const consentAs = async (upn: string) => {
      const r = await simFetch(sim, d, `/${tid}/v2.0/adminconsent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: DEFAULT_APP.clientId,
          redirect_uri: 'http://127.0.0.1:9/api/onboarding/callback',
          state: 'st',
          action: 'accept',
          login: upn,
        }).toString(),
      });
      expect(r.status).toBe(302);
      return new URL(r.headers.get('location')!).searchParams;
    };
    await setRoles([APP_ADMIN], [GA]);
    expect((await consentAs(plainUpn)).get('error')).toBe('access_denied');
    await setRoles([PRA]);
    const ok = await consentAs(plainUpn);
    expect(ok.get('admin_consent')).toBe('True');
    expect(ok.get('tenant')).toBe(tid);
  });

  it('redirect URIs must be registered (AADSTS50011); on loopback hosts the port is ignored, not the path or host', async () => {
    const authorize = (redirectUri: string) =>
      simFetch(
        sim,
        d,
        `/organizations/oauth2/v2.0/authorize?${new URLSearchParams({
          client_id: DEFAULT_APP.clientId,
          response_type: 'code',
          redirect_uri: redirectUri,
          scope: 'openid',
        })}`,
      );
    expect((await authorize('http://127.0.0.1:65000/api/auth/callback')).status).toBe(200);
    expect((await authorize('http://localhost:1/api/onboarding/callback')).status).toBe(200);
    for (const bad of [
      'http://127.0.0.1:3000/api/auth/other',
      'https://evil.example/api/auth/callback',
      'http://10.0.0.1:3000/api/auth/callback',
    ]) {
      const r = await authorize(bad);
      expect(r.status).toBe(400);
      expect(r.text).toContain('AADSTS50011');
    }
  });
});
