import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EncryptionKeyConfig } from './app-config';
import { KEY_ID } from './key-id';

interface KeyFileContent {
  activeKeyId: string;
  keys: Record<string, string>;
}

/**
 * The embedded default's keys: read from the key file, which is generated (mode 0600, with a
 * warning) on first start. Gives the problem instead when the file is not a valid key file.
 */
export function loadOrCreateKeyFile(
  keyFile: string,
): { keys: Omit<EncryptionKeyConfig, 'blindIndexKeyId'>; warning?: string } | { problem: string } {
  const generated = !existsSync(keyFile);
  let warning: string | undefined;
  if (generated) {
    const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    const content: KeyFileContent = {
      activeKeyId: id,
      keys: { [id]: randomBytes(32).toString('base64') },
    };
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(content, null, 2), { mode: 0o600, flag: 'wx' });
    warning = `ENCRYPTION_KEYS is not set: generated a key file at ${keyFile} for the embedded default. Back it up; set ENCRYPTION_KEYS in production.`;
  }
  try {
    chmodSync(keyFile, 0o600);
    const parsed = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyFileContent;
    const keys = Object.entries(parsed.keys).map(([id, b64]) => ({
      id,
      material: Buffer.from(b64, 'base64'),
    }));
    const bad = keys.find((k) => !KEY_ID.test(k.id) || k.material.length !== 32);
    if (bad || !keys.some((k) => k.id === parsed.activeKeyId)) throw new Error('bad key file');
    return {
      keys: {
        activeKeyId: parsed.activeKeyId,
        keys,
        source: generated ? 'generated-file' : 'file',
        keyFile,
      },
      warning,
    };
  } catch {
    return {
      problem: `${keyFile} is not a valid key file (expected {"activeKeyId","keys":{id: base64 of 32 bytes}})`,
    };
  }
}
