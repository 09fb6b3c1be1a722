import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The workspace key. Members must be able to open the workspace's flashbooks, so the server has to
 * hand out their edit tokens, which it otherwise keeps only as hashes. It keeps them sealed
 * (AES-256-GCM) with a random workspace key, and that key sealed twice: with a key derived from the
 * member token and with one derived from the admin token (HKDF-SHA-256). A copy of the database
 * alone opens no flashbook; a request with a valid token unseals what that token may see.
 * Replacing a token re-seals the workspace key for the new token (the admin token unseals it).
 */

const IV = 12;
const TAG = 16;

export function newWorkspaceKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

function tokenKey(token: string, workspaceId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, workspaceId, 'flashbook-studio workspace key', 32));
}

export function seal(key: Uint8Array, plain: Uint8Array): Uint8Array {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
}

/** Undefined when the key is wrong or the bytes were changed. */
export function unseal(key: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.length < IV + TAG) return undefined;
  try {
    const buf = Buffer.from(sealed);
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV));
    decipher.setAuthTag(buf.subarray(IV, IV + TAG));
    return new Uint8Array(
      Buffer.concat([decipher.update(buf.subarray(IV + TAG)), decipher.final()]),
    );
  } catch {
    return undefined;
  }
}

export function wrapKey(key: Uint8Array, token: string, workspaceId: string): Uint8Array {
  return seal(tokenKey(token, workspaceId), key);
}

export function unwrapKey(
  wrapped: Uint8Array,
  token: string,
  workspaceId: string,
): Uint8Array | undefined {
  return unseal(tokenKey(token, workspaceId), wrapped);
}

export function sealJson(key: Uint8Array, value: unknown): Uint8Array {
  return seal(key, new TextEncoder().encode(JSON.stringify(value)));
}

export function unsealJson<T>(key: Uint8Array, sealed: Uint8Array): T | undefined {
  const plain = unseal(key, sealed);
  if (!plain) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return undefined;
  }
}
