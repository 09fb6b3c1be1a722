const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A random id of `length` base62 characters (16 characters ≈ 95 bits: enough that ids made by
 * offline clients never collide). Works in browsers and in Node (globalThis.crypto).
 */
export function newId(length = 16): string {
  const bytes = new Uint8Array(length);
  webCrypto().getRandomValues(bytes);
  let id = '';
  // 62 does not divide 256, the bias of the modulo is < 2% per character and harmless for ids.
  for (const b of bytes) id += ALPHABET[b % 62];
  return id;
}

// The model is compiled without the DOM and Node libraries (tsconfig.model.json), so it names the
// one Web Crypto function it needs; every runtime it runs in (browsers, workers, Node) has it.
function webCrypto(): { getRandomValues(array: Uint8Array): Uint8Array } {
  return (globalThis as unknown as { crypto: ReturnType<typeof webCrypto> }).crypto;
}

/** Ids of flashbooks, posts and slides: what we generate and what we accept from other clients. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
