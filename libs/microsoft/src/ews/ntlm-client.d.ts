// The message functions of @ewsjs/ntlm-client (installed with ews-javascript-api; no typings).
declare module '@ewsjs/ntlm-client' {
  export function createType1Message(workstation: string, domain: string): string;
  export function decodeType2Message(header: string): unknown;
  export function createType3Message(
    type2: unknown,
    username: string,
    password: string,
    workstation: string,
    domain: string,
  ): string;
}
