import { envVariable } from './env-variable';
import { KEY_ID } from './key-id';

/**
 * ENCRYPTION_KEYS: `keyId:base64-of-32-bytes[,keyId:...]`. One problem per bad entry, never
 * echoing key material; the valid entries are kept (none: undefined).
 */
export const encryptionKeyList = envVariable.text.transform((raw, ctx) => {
  if (raw === undefined) return undefined;
  const keys: { id: string; material: Buffer }[] = [];
  const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
  for (const [index, entry] of raw.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator).trim();
    const material = Buffer.from(entry.slice(separator + 1).trim(), 'base64');
    if (separator < 1 || !KEY_ID.test(id))
      problem(`entry ${index + 1} needs a key id of letters, digits, _ or - (1-32) before ":"`);
    else if (material.length !== 32)
      problem(`key "${id}" must be 32 bytes in base64; it decodes to ${material.length}`);
    else if (keys.some((k) => k.id === id)) problem(`key id "${id}" appears twice`);
    else keys.push({ id, material });
  }
  return keys;
});
