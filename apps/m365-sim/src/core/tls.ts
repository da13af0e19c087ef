/**
 * Certificates: a CA (kept in dataDir and reused across restarts, so a process started with
 * NODE_EXTRA_CA_CERTS=<dataDir>/ca.pem keeps trusting the simulator) and a server
 * certificate for localhost / 127.0.0.1 / ::1 / the bind host, issued at every start.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as forge from 'node-forge';

export interface SimTls {
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair(): { pub: forge.pki.PublicKey; priv: forge.pki.PrivateKey; privPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    pub: forge.pki.publicKeyFromPem(publicKey),
    priv: forge.pki.privateKeyFromPem(privateKey),
    privPem: privateKey,
  };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

export function loadOrCreateTls(dataDir: string, host: string): SimTls {
  fs.mkdirSync(dataDir, { recursive: true });
  const caPath = path.join(dataDir, 'ca.pem');
  const caKeyPath = path.join(dataDir, 'ca-key.pem');
  let caCert: forge.pki.Certificate;
  let caKey: forge.pki.PrivateKey;
  if (fs.existsSync(caPath) && fs.existsSync(caKeyPath)) {
    caCert = forge.pki.certificateFromPem(fs.readFileSync(caPath, 'utf8'));
    caKey = forge.pki.privateKeyFromPem(fs.readFileSync(caKeyPath, 'utf8'));
    if (caCert.validity.notAfter.getTime() < Date.now() + 86400_000) return regenerate();
  } else return regenerate();
  return issue();

  function regenerate(): SimTls {
    const kp = keyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = kp.pub;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 3600_000);
    cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86400_000);
    const attrs = [
      { name: 'commonName', value: 'm365-sim local CA' },
      { name: 'organizationName', value: 'm365-sim (not Microsoft)' },
    ];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(kp.priv as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    const tmp = caKeyPath + '.' + process.pid;
    fs.writeFileSync(tmp, kp.privPem, { mode: 0o600 });
    fs.renameSync(tmp, caKeyPath);
    const tmp2 = caPath + '.' + process.pid;
    fs.writeFileSync(tmp2, forge.pki.certificateToPem(cert));
    fs.renameSync(tmp2, caPath);
    caCert = cert;
    caKey = kp.priv;
    return issue();
  }

  function issue(): SimTls {
    const kp = keyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = kp.pub;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(Date.now() - 3600_000);
    cert.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
    cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
    cert.setIssuer(caCert.subject.attributes);
    const alt: { type: number; value?: string; ip?: string }[] = [
      { type: 2, value: 'localhost' },
      { type: 7, ip: '127.0.0.1' },
      { type: 7, ip: '::1' },
    ];
    if (
      host &&
      host !== '127.0.0.1' &&
      host !== 'localhost' &&
      host !== '0.0.0.0' &&
      host !== '::'
    ) {
      alt.push(/^[\d.]+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host });
    }
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: alt },
    ]);
    cert.sign(caKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    return {
      caPath,
      caPem: forge.pki.certificateToPem(caCert),
      certPem: forge.pki.certificateToPem(cert),
      keyPem: forge.pki.privateKeyToPem(kp.priv),
    };
  }
}
