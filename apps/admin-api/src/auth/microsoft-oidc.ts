import { CodedError } from '@app/domain';
import type { AppConfig, MicrosoftConfig } from '@app/config';
import { APP_CONFIG } from '@app/config';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createRemoteJWKSet, SignJWT } from 'jose';
import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { Agent, fetch } from 'undici';
import { IdTokenValidator, type IdTokenClaims } from './id-token-validator';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

const SIGN_IN_SCOPE = 'openid profile User.Read';

/** Sign-in with Microsoft failed on Microsoft's side (discovery, code exchange, directory roles). */
export class OidcError extends CodedError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('oidc_failed', message, options);
  }
}

/**
 * Sign-in with Microsoft: OIDC authorization code + PKCE through the `/organizations`
 * authority (the tenant is not known before sign-in), with our app credential (certificate
 * preferred) for the code exchange.
 */
@Injectable()
export class MicrosoftOidc implements OnApplicationShutdown {
  private readonly ms: MicrosoftConfig | undefined;
  private readonly dispatcher: Agent;
  private readonly httpsAgent: HttpsAgent;
  private discovery?: Promise<{ doc: Discovery; validator: IdTokenValidator }>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.ms = config.microsoft;
    const ca = this.ms?.caFile ? readFileSync(this.ms.caFile, 'utf8') : undefined;
    this.dispatcher = new Agent({ connect: ca ? { ca } : {} });
    this.httpsAgent = new HttpsAgent(ca ? { ca } : {});
  }

  get configured(): boolean {
    return this.ms !== undefined;
  }

  private config(): MicrosoftConfig {
    if (!this.ms)
      throw new OidcError('No Microsoft app registration is configured (MICROSOFT_CLIENT_ID)');
    return this.ms;
  }

  private async load(): Promise<{ doc: Discovery; validator: IdTokenValidator }> {
    const ms = this.config();
    this.discovery ??= (async () => {
      const url = `${ms.authorityHost}/organizations/v2.0/.well-known/openid-configuration`;
      const res = await fetch(url, { dispatcher: this.dispatcher });
      if (!res.ok) throw new OidcError(`discovery ${url} answered ${res.status}`);
      const doc = (await res.json()) as Discovery;
      const validator = new IdTokenValidator({
        clientId: ms.clientId,
        issuerTemplate: doc.issuer,
        keys: createRemoteJWKSet(new URL(doc.jwks_uri), { agent: this.httpsAgent }),
      });
      return { doc, validator };
    })();
    try {
      return await this.discovery;
    } catch (error) {
      this.discovery = undefined;
      throw error;
    }
  }

  async authorizeUrl(input: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeVerifier: string;
    loginHint?: string;
  }): Promise<string> {
    const { doc } = await this.load();
    const url = new URL(doc.authorization_endpoint);
    const params: Record<string, string> = {
      client_id: this.config().clientId,
      response_type: 'code',
      redirect_uri: input.redirectUri,
      response_mode: 'query',
      // User.Read: the delegated token reads the user's own directory roles (/me/memberOf)
      // when the ID token carries no `wids`.
      scope: SIGN_IN_SCOPE,
      state: input.state,
      nonce: input.nonce,
      code_challenge: createHash('sha256').update(input.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    if (input.loginHint) params.login_hint = input.loginHint;
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Redeems the code (with the PKCE verifier) and validates the ID token. */
  async redeem(input: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
    nonce: string;
  }): Promise<{ claims: IdTokenClaims; accessToken?: string }> {
    const { doc, validator } = await this.load();
    const ms = this.config();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: ms.clientId,
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
      scope: SIGN_IN_SCOPE,
    });
    if (ms.certificateFile) {
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set('client_assertion', await this.clientAssertion(ms, doc.token_endpoint));
    } else {
      body.set('client_secret', ms.clientSecret ?? '');
    }
    const res = await fetch(doc.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      dispatcher: this.dispatcher,
    });
    const json = (await res.json().catch(() => ({}))) as {
      id_token?: string;
      access_token?: string;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !json.id_token)
      throw new OidcError(
        `code redemption failed: ${json.error ?? res.status} ${json.error_description ?? ''}`.trim(),
      );
    const claims = await validator.validate(json.id_token, { nonce: input.nonce });
    return { claims, accessToken: json.access_token };
  }

  /**
   * The signed-in user's active directory roles (role template ids) from Graph
   * `/me/memberOf/microsoft.graph.directoryRole`, read with the sign-in's delegated token
   * (User.Read). PIM-eligible roles are not memberships until activated, so they are absent.
   */
  async directoryRolesOf(accessToken: string): Promise<string[]> {
    const ms = this.config();
    const roles: string[] = [];
    let next: string | undefined =
      `${ms.graphBaseUrl}/v1.0/me/memberOf/microsoft.graph.directoryRole?$count=true`;
    for (let page = 0; next && page < 10; page++) {
      const res = await fetch(next, {
        headers: { authorization: `Bearer ${accessToken}`, consistencylevel: 'eventual' },
        dispatcher: this.dispatcher,
      });
      if (!res.ok) throw new OidcError(`directory roles: Graph answered ${res.status}`);
      const body = (await res.json()) as {
        value?: Array<{ roleTemplateId?: unknown }>;
        '@odata.nextLink'?: string;
      };
      for (const role of body.value ?? [])
        if (typeof role.roleTemplateId === 'string') roles.push(role.roleTemplateId.toLowerCase());
      next = body['@odata.nextLink'];
    }
    return roles;
  }

  private async clientAssertion(ms: MicrosoftConfig, audience: string): Promise<string> {
    const pem = readFileSync(ms.certificateFile!, 'utf8');
    const cert = new X509Certificate(pem);
    const key = createPrivateKey(pem);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        x5t: createHash('sha1').update(cert.raw).digest('base64url'),
      })
      .setIssuer(ms.clientId)
      .setSubject(ms.clientId)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 600)
      .sign(key);
  }

  /** The admin consent URL of one tenant. */
  adminConsentUrl(tid: string, redirectUri: string, state: string): string {
    const ms = this.config();
    const url = new URL(`${ms.authorityHost}/${tid}/adminconsent`);
    url.searchParams.set('client_id', ms.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('state', state);
    return url.toString();
  }

  async onApplicationShutdown(): Promise<void> {
    this.httpsAgent.destroy();
    await this.dispatcher.close();
  }
}
