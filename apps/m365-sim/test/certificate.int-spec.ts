import { generateKeyPairSync } from 'node:crypto';
import * as forge from 'node-forge';
import { ClientCertificateCredential } from '@azure/identity';
import { decodeJwt } from 'jose';
import type { Agent } from 'undici';
import type { RunningSimulator } from '../src';
import { DEFAULT_APP } from '../src/sim-options';
import { GRAPH_SCOPE, simDispatcher, simFetch, startTestSim } from './helpers';

function selfSigned(): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86400_000);
  cert.setSubject([{ name: 'commonName', value: 'fleet-app' }]);
  cert.setIssuer([{ name: 'commonName', value: 'fleet-app' }]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

describe('m365-sim client assertion (certificate credential)', () => {
  const good = selfSigned();
  const other = selfSigned();
  let sim: RunningSimulator;
  let d: Agent;
  beforeAll(async () => {
    sim = await startTestSim({
      apps: [{ ...DEFAULT_APP, certificates: [good.certPem] }],
      preConsent: true,
    });
    d = simDispatcher(sim);
  });
  afterAll(async () => {
    await d.close();
    await sim.close();
  });
  const cred = (pem: string) =>
    new ClientCertificateCredential(
      sim.info.tenants[0].id,
      DEFAULT_APP.clientId,
      { certificate: pem },
      {
        authorityHost: sim.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sim.caPem },
      } as ConstructorParameters<typeof ClientCertificateCredential>[3],
    );

  it('@azure/identity ClientCertificateCredential gets an app-only token; an unregistered certificate is refused', async () => {
    const tok = await cred(good.keyPem + good.certPem).getToken(GRAPH_SCOPE);
    const claims = decodeJwt(tok.token);
    expect(claims.appidacr).toBe('2');
    expect(claims.roles).toEqual(expect.arrayContaining(['Calendars.ReadWrite']));
    const users = await simFetch(sim, d, '/v1.0/users?$top=2', {
      headers: { authorization: `Bearer ${tok.token}` },
    });
    expect(users.json.value).toHaveLength(2);
    await expect(cred(other.keyPem + other.certPem).getToken(GRAPH_SCOPE)).rejects.toThrow(
      /AADSTS700027/,
    );
  });
});
