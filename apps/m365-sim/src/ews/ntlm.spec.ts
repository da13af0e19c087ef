import { createType1Message, createType3Message, decodeType2Message } from '@ewsjs/ntlm-client';
import { createChallenge, decodeNtlm, verifyNtlmV2, type NtlmAuthenticate } from './ntlm';

const NAMES = {
  netbiosDomain: 'SIM',
  netbiosComputer: 'EXCH01',
  dnsDomain: 'sim.local',
  dnsComputer: 'exch01.sim.local',
};

/** The NTLM client ews-javascript-api uses (@ewsjs/xhr → @ewsjs/ntlm-client), no network. */
function handshake(user: string, password: string, domain = '') {
  const t1 = decodeNtlm(createType1Message('WS01', domain).replace(/^NTLM /, ''));
  expect(t1?.type).toBe(1);
  const challenge = createChallenge(t1!.flags, NAMES);
  const t2 = decodeType2Message(`NTLM ${challenge.token}`);
  const t3 = decodeNtlm(
    createType3Message(t2, user, password, 'WS01', domain || undefined).replace(/^NTLM /, ''),
  ) as NtlmAuthenticate;
  return { challenge, t2, t3 };
}

describe('NTLM server side (MS-NLMP)', () => {
  it('the CHALLENGE makes the client answer NTLMv2, which verifies with the right password', () => {
    const { challenge, t2, t3 } = handshake('svc-sync', 'Sim-Ews-Passw0rd', 'CONTOSO');
    expect(t2.version).toBe(2); // extended session security asked for
    expect(t2.targetInfo.parsed).toMatchObject({ DOMAIN: 'SIM', SERVER: 'EXCH01' });
    expect(t3.type).toBe(3);
    expect(t3.user).toBe('svc-sync');
    expect(t3.domain).toBe('CONTOSO');
    expect(t3.ntResponse.length).toBeGreaterThan(24);
    expect(verifyNtlmV2(t3, challenge.serverChallenge, 'Sim-Ews-Passw0rd')).toBe(true);
    expect(verifyNtlmV2(t3, challenge.serverChallenge, 'sim-ews-passw0rd')).toBe(false);
  });

  it('an AUTHENTICATE answers only its own CHALLENGE (another server challenge fails)', () => {
    const { t3 } = handshake('svc-sync', 'pw');
    const other = createChallenge(0, NAMES);
    expect(verifyNtlmV2(t3, other.serverChallenge, 'pw')).toBe(false);
  });

  it('refuses NTLMv1 responses and tokens that are not NTLMSSP', () => {
    const v1: NtlmAuthenticate = {
      type: 3,
      flags: 0,
      lmResponse: Buffer.alloc(24),
      ntResponse: Buffer.alloc(24),
      domain: '',
      user: 'svc-sync',
      workstation: '',
    };
    expect(verifyNtlmV2(v1, Buffer.alloc(8), 'pw')).toBe(false);
    expect(decodeNtlm(Buffer.from('not ntlm at all').toString('base64'))).toBeUndefined();
    expect(decodeNtlm('')).toBeUndefined();
  });
});
