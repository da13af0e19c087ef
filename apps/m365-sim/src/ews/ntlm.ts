/**
 * The server side of NTLM (MS-NLMP), as IIS runs it in front of Exchange's EWS virtual
 * directory: NEGOTIATE_MESSAGE in, CHALLENGE_MESSAGE out (401), AUTHENTICATE_MESSAGE verified
 * against the account's password (NTLMv2: the NTProofStr). Only NTLMv2 is accepted (the
 * CHALLENGE always asks for extended session security and carries target info, so clients answer
 * with NTLMv2; NTLMv1/LM responses are refused, as a domain at LmCompatibilityLevel 5 does).
 * https://learn.microsoft.com/openspecs/windows_protocols/ms-nlmp/
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { md4 } from './md4';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'ascii');

/** MS-NLMP 2.2.2.5 NEGOTIATE flags used here. */
export const NTLM_FLAGS = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  KEY_128: 0x20000000,
  KEY_56: 0x80000000,
} as const;

export interface NtlmNegotiate {
  type: 1;
  flags: number;
}
export interface NtlmAuthenticate {
  type: 3;
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
}

/** Decodes a base64 NTLMSSP token; undefined when it is not one (or is truncated). */
export function decodeNtlm(b64: string): NtlmNegotiate | NtlmAuthenticate | undefined {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length < 16 || !buf.subarray(0, 8).equals(SIGNATURE)) return undefined;
  const type = buf.readUInt32LE(8);
  if (type === 1) return { type: 1, flags: buf.readUInt32LE(12) };
  if (type !== 3 || buf.length < 52) return undefined;
  const field = (at: number): Buffer | undefined => {
    const len = buf.readUInt16LE(at);
    const off = buf.readUInt32LE(at + 4);
    if (len === 0) return Buffer.alloc(0);
    return off + len <= buf.length ? buf.subarray(off, off + len) : undefined;
  };
  const flags = buf.length >= 64 ? buf.readUInt32LE(60) : 0;
  const parts = [12, 20, 28, 36, 44].map(field);
  if (parts.some((p) => p === undefined)) return undefined;
  const [lm, nt, dom, user, ws] = parts as Buffer[];
  // strings are UTF-16LE when Unicode was negotiated, else OEM (MS-NLMP 2.2.1.3)
  const str = (b: Buffer) => b.toString(flags & NTLM_FLAGS.UNICODE ? 'utf16le' : 'latin1');
  return {
    type: 3,
    flags,
    lmResponse: lm,
    ntResponse: nt,
    domain: str(dom),
    user: str(user),
    workstation: str(ws),
  };
}

export interface NtlmChallenge {
  /** base64 CHALLENGE_MESSAGE for the WWW-Authenticate header */
  token: string;
  serverChallenge: Buffer;
  flags: number;
}

/** Windows FILETIME (100 ns since 1601-01-01) as 8 little-endian bytes. */
function fileTime(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(ms) + 11644473600000n) * 10000n);
  return b;
}

/** MS-NLMP 2.2.1.2 CHALLENGE_MESSAGE for a NEGOTIATE_MESSAGE's flags. */
export function createChallenge(
  negotiateFlags: number,
  names: { netbiosDomain: string; netbiosComputer: string; dnsDomain: string; dnsComputer: string },
): NtlmChallenge {
  const unicode = (negotiateFlags & NTLM_FLAGS.UNICODE) !== 0;
  const flags =
    (unicode ? NTLM_FLAGS.UNICODE : NTLM_FLAGS.OEM) |
    NTLM_FLAGS.REQUEST_TARGET |
    NTLM_FLAGS.NTLM |
    NTLM_FLAGS.ALWAYS_SIGN |
    NTLM_FLAGS.TARGET_TYPE_DOMAIN |
    NTLM_FLAGS.EXTENDED_SESSIONSECURITY |
    NTLM_FLAGS.TARGET_INFO |
    NTLM_FLAGS.VERSION |
    (negotiateFlags & (NTLM_FLAGS.KEY_128 | NTLM_FLAGS.KEY_56));
  const targetName = Buffer.from(names.netbiosDomain, unicode ? 'utf16le' : 'latin1');
  // AV_PAIRs (MS-NLMP 2.2.2.1), always UTF-16LE
  const av = (id: number, value: Buffer) => {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(id, 0);
    h.writeUInt16LE(value.length, 2);
    return Buffer.concat([h, value]);
  };
  const u = (s: string) => Buffer.from(s, 'utf16le');
  const targetInfo = Buffer.concat([
    av(2, u(names.netbiosDomain)),
    av(1, u(names.netbiosComputer)),
    av(4, u(names.dnsDomain)),
    av(3, u(names.dnsComputer)),
    av(7, fileTime(Date.now())),
    av(0, Buffer.alloc(0)),
  ]);
  const serverChallenge = randomBytes(8);
  const head = Buffer.alloc(56);
  SIGNATURE.copy(head, 0);
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(targetName.length, 12);
  head.writeUInt16LE(targetName.length, 14);
  head.writeUInt32LE(56, 16);
  head.writeUInt32LE(flags >>> 0, 20);
  serverChallenge.copy(head, 24);
  head.writeUInt16LE(targetInfo.length, 40);
  head.writeUInt16LE(targetInfo.length, 42);
  head.writeUInt32LE(56 + targetName.length, 44);
  // Version: Windows Server 2019 (10.0 build 17763), NTLM revision 15
  head.writeUInt8(10, 48);
  head.writeUInt8(0, 49);
  head.writeUInt16LE(17763, 50);
  head.writeUInt8(15, 55);
  return {
    token: Buffer.concat([head, targetName, targetInfo]).toString('base64'),
    serverChallenge,
    flags,
  };
}

/**
 * MS-NLMP 3.3.2: NTOWFv2 = HMAC_MD5(MD4(UNICODE(password)), UNICODE(Uppercase(user) + domain));
 * the response is valid when its first 16 bytes (NTProofStr) equal
 * HMAC_MD5(NTOWFv2, serverChallenge + the rest of the response).
 */
export function verifyNtlmV2(
  msg: NtlmAuthenticate,
  serverChallenge: Buffer,
  password: string,
): boolean {
  if (msg.ntResponse.length <= 24) return false; // NTLMv1 / LM only: refused
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  const ntowf2 = createHmac('md5', ntHash)
    .update(Buffer.from(msg.user.toUpperCase() + msg.domain, 'utf16le'))
    .digest();
  const proof = msg.ntResponse.subarray(0, 16);
  const blob = msg.ntResponse.subarray(16);
  const expected = createHmac('md5', ntowf2)
    .update(Buffer.concat([serverChallenge, blob]))
    .digest();
  return timingSafeEqual(proof, expected);
}
