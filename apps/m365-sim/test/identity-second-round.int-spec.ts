import { createHash, X509Certificate } from 'node:crypto';
import {
  AuthorizationCodeCredential,
  ClientSecretCredential,
  type AuthorizationCodeCredentialOptions,
} from '@azure/identity';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Agent } from 'undici';
import type { RunningSimulator } from '../src';
import {
  consent,
  credential,
  graphClient,
  GRAPH_SCOPE,
  simDispatcher,
  simFetch,
  startTestSim,
} from './helpers';

/**
 * Identity platform, second round: error codes as Entra returns them, and access tokens for
 * Graph in the shape Graph's tokens have (v1.0), with certificates in the JWKS.
 */
describe('m365-sim identity platform, second round', () => {
  let sim: RunningSimulator;
  let d: Agent;
  let tid: string;
  const form = (p: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(p).toString(),
  });
  beforeAll(async () => {
    sim = await startTestSim();
    d = simDispatcher(sim);
    tid = sim.info.tenants[0].id;
    await consent(sim, d, tid);
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });

  /** Signs a user (the tenant's admin by default) in through the authorize endpoint; the code. */
  async function signIn(
    redirectUri: string,
    login = sim.info.tenants[0].adminUpn,
  ): Promise<string> {
    const r = await simFetch(
      sim,
      d,
      `/${tid}/oauth2/v2.0/authorize`,
      form({
        client_id: sim.info.apps[0].clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid profile User.Read',
        state: 's',
        action: 'signin',
        login,
      }),
    );
    expect(r.status).toBe(302);
    return new URL(r.headers.get('location')!).searchParams.get('code')!;
  }

  it('an authorization code used twice answers AADSTS54005', async () => {
    const app = sim.info.apps[0];
    const redirectUri = 'http://localhost:3000/api/auth/callback';
    const code = await signIn(redirectUri);
    const redeem = () =>
      simFetch(
        sim,
        d,
        `/${tid}/oauth2/v2.0/token`,
        form({
          grant_type: 'authorization_code',
          client_id: app.clientId,
          client_secret: app.clientSecret,
          code,
          redirect_uri: redirectUri,
        }),
      );
    const first = await redeem();
    expect(first.status).toBe(200);
    const second = await redeem();
    expect(second.status).toBe(400);
    expect(second.json.error).toBe('invalid_grant');
    expect(second.json.error_codes).toEqual([54005]);
    expect(second.json.error_description).toMatch(/^AADSTS54005: OAuth2 Authorization code was/);
    // through @azure/identity: a second credential given the same code is refused with it
    const viaLibrary = await signIn(redirectUri);
    const options = {
      authorityHost: sim.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sim.caPem },
    } as AuthorizationCodeCredentialOptions;
    const credentialFor = () =>
      new AuthorizationCodeCredential(
        tid,
        app.clientId,
        app.clientSecret,
        viaLibrary,
        redirectUri,
        options,
      );
    expect((await credentialFor().getToken('User.Read')).token).toBeTruthy();
    await expect(credentialFor().getToken('User.Read')).rejects.toThrow(/AADSTS54005/);
  });

  it('a client credentials request without scope answers AADSTS900144', async () => {
    const app = sim.info.apps[0];
    const r = await simFetch(
      sim,
      d,
      `/${tid}/oauth2/v2.0/token`,
      form({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    );
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_request');
    expect(r.json.error_codes).toEqual([900144]);
    expect(r.json.error_description).toMatch(/parameter: 'scope'/);
  });

  it('a GET on the token endpoint answers 400 JSON AADSTS900561', async () => {
    const r = await simFetch(sim, d, `/${tid}/oauth2/v2.0/token`);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.json.error).toBe('invalid_request');
    expect(r.json.error_codes).toEqual([900561]);
    expect(r.json.error_description).toMatch(/only accepts POST, OPTIONS requests/);
  });

  it('client credentials against /common or /organizations answer AADSTS50059 (@azure/identity refuses them before sending)', async () => {
    const app = sim.info.apps[0];
    for (const authority of ['common', 'organizations']) {
      const cred = new ClientSecretCredential(authority, app.clientId, app.clientSecret, {
        authorityHost: sim.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sim.caPem },
      } as ConstructorParameters<typeof ClientSecretCredential>[3]);
      await expect(cred.getToken(GRAPH_SCOPE)).rejects.toThrow(/missing_tenant_id_error/);
      // a client that does send it (a hand-written one) gets Entra's answer
      const r = await simFetch(
        sim,
        d,
        `/${authority}/oauth2/v2.0/token`,
        form({
          grant_type: 'client_credentials',
          client_id: app.clientId,
          client_secret: app.clientSecret,
          scope: GRAPH_SCOPE,
        }),
      );
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('invalid_request');
      expect(r.json.error_codes).toEqual([50059]);
      expect(r.json.error_description).toMatch(/No tenant-identifying information found/);
    }
  });

  it('app-only access tokens for Graph are v1.0 tokens: sts.windows.net issuer, ver 1.0, appid; Graph accepts them', async () => {
    const cred = credential(sim, tid);
    const tok = await cred.getToken(GRAPH_SCOPE);
    const claims = decodeJwt(tok.token);
    expect(claims.iss).toBe(`https://sts.windows.net/${tid}/`);
    expect(claims.idp).toBe(`https://sts.windows.net/${tid}/`);
    expect(claims.ver).toBe('1.0');
    expect(claims.appid).toBe(sim.info.apps[0].clientId);
    expect(claims.azp).toBeUndefined();
    expect(claims.aud).toBe('https://graph.microsoft.com');
    const me = await graphClient(sim, cred, d).api('/users').top(1).get();
    expect(me.value).toHaveLength(1);
  });

  it('delegated access tokens are v1.0 too (upn, scp, appid), the ID token stays v2.0', async () => {
    const app = sim.info.apps[0];
    const redirectUri = 'http://localhost:3000/api/auth/callback';
    const code = await signIn(redirectUri);
    const tok = await simFetch(
      sim,
      d,
      `/${tid}/oauth2/v2.0/token`,
      form({
        grant_type: 'authorization_code',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code,
        redirect_uri: redirectUri,
      }),
    );
    expect(tok.status).toBe(200);
    const access = decodeJwt(tok.json.access_token);
    expect(access.iss).toBe(`https://sts.windows.net/${tid}/`);
    expect(access.ver).toBe('1.0');
    expect(access.appid).toBe(app.clientId);
    expect(access.upn).toBe(sim.info.tenants[0].adminUpn);
    expect(access.scp).toBe('User.Read');
    const id = decodeJwt(tok.json.id_token);
    expect(id.iss).toBe(`${sim.baseUrl}/${tid}/v2.0`);
    expect(id.ver).toBe('2.0');
    expect(id.aud).toBe(app.clientId);
    const me = await simFetch(sim, d, '/v1.0/me', {
      headers: { authorization: `Bearer ${tok.json.access_token}` },
    });
    expect(me.json.userPrincipalName).toBe(sim.info.tenants[0].adminUpn);
    expect(me.json['@odata.context']).toMatch(/\$metadata#users\/\$entity$/);
    const roles = await simFetch(sim, d, '/v1.0/me/memberOf/microsoft.graph.directoryRole', {
      headers: { authorization: `Bearer ${tok.json.access_token}` },
    });
    expect(roles.status).toBe(200);
    expect(roles.json['@odata.context']).toMatch(/\$metadata#directoryRoles$/);
  });

  it('JWKS keys carry x5c; x5t and kid are the certificate thumbprint; tokens name that kid', async () => {
    const keys = (await simFetch(sim, d, `/${tid}/discovery/v2.0/keys`)).json.keys;
    expect(keys).toHaveLength(1);
    const k = keys[0];
    expect(Array.isArray(k.x5c)).toBe(true);
    const cert = new X509Certificate(Buffer.from(k.x5c[0], 'base64'));
    const thumb = createHash('sha1').update(cert.raw).digest('base64url');
    expect(k.x5t).toBe(thumb);
    expect(k.kid).toBe(thumb);
    const jwkKey = cert.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    expect(jwkKey.n).toBe(k.n);
    expect(jwkKey.e).toBe(k.e);
    const tok = await credential(sim, tid).getToken(GRAPH_SCOPE);
    expect(decodeProtectedHeader(tok.token).kid).toBe(thumb);
  });

  it('wids: built-in roles only (a custom role never), the default user role for members, no claim for a guest without roles', async () => {
    const app = sim.info.apps[0];
    const redirectUri = 'http://localhost:3000/api/auth/callback';
    const GA = '62e90394-69f5-4237-9190-012177145e10';
    const DEFAULT_USER = 'b79fbf4d-3ef9-4689-8143-76b194e85509';
    const CUSTOM = '5f7b9a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
    const users: Array<{
      id: string;
      userPrincipalName: string;
      globalAdmin: boolean;
      mailbox: string;
      purpose: string;
      accountEnabled: boolean;
    }> = (await simFetch(sim, d, `/_sim/tenants/${tid}/users`)).json;
    const [member, guest] = users.filter(
      (u) => !u.globalAdmin && u.mailbox === 'cloud' && u.purpose === 'user' && u.accountEnabled,
    );
    const patch = async (id: string, body: Record<string, unknown>) =>
      expect(
        (await simFetch(sim, d, `/_sim/tenants/${tid}/users/${id}`, { method: 'PATCH', body }))
          .status,
      ).toBe(200);
    await patch(member.id, { customDirectoryRoles: [CUSTOM], eligibleDirectoryRoles: [GA] });
    await patch(guest.id, { userType: 'Guest' });
    const idToken = async (upn: string) => {
      const code = await signIn(redirectUri, upn);
      const tok = await simFetch(
        sim,
        d,
        `/${tid}/oauth2/v2.0/token`,
        form({
          grant_type: 'authorization_code',
          client_id: app.clientId,
          client_secret: app.clientSecret,
          code,
          redirect_uri: redirectUri,
        }),
      );
      expect(tok.status).toBe(200);
      return decodeJwt(tok.json.id_token);
    };
    expect((await idToken(member.userPrincipalName)).wids).toEqual([DEFAULT_USER]);
    expect('wids' in (await idToken(guest.userPrincipalName))).toBe(false);
    await patch(guest.id, { userType: 'Member', directoryRoles: [GA] });
    expect((await idToken(guest.userPrincipalName)).wids).toEqual([GA, DEFAULT_USER]);
  });
});
