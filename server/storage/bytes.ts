/**
 * Views between the Buffers the database drivers use and the Uint8Arrays the stores' records
 * hold, shared by the SQLite and the PostgreSQL stores. Neither copies.
 */

/** A Buffer read from the database (better-sqlite3 or pg) as a plain Uint8Array view. */
export function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** A Uint8Array as a Buffer view, to be written as a BLOB or bytea. */
export function buffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
