import { Readable } from 'node:stream';
import type pg from 'pg';
import type { AssetStore, PutResult, StoredAsset } from '../../assets/store.ts';
import type { ImageType } from '../../assets/sniff.ts';
import { lockKey } from './pool.ts';

/**
 * AssetStore on PostgreSQL: image bytes in `asset_objects` (content-addressed, stored once),
 * grants in `asset_grants`. Every instance reads the same images with no shared disk; images are
 * bounded (MAX_ASSET_BYTES) and immutable, so bytea costs little (docs/deploy.md, "Images").
 * The quota check and the grant run in one transaction under a per-flashbook advisory lock, so
 * two uploads on two instances cannot both fit in the last free bytes.
 */
export class PgAssetStore implements AssetStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(
    flashbookId: string,
    asset: StoredAsset,
    data: Uint8Array,
    quotaBytes = Infinity,
  ): Promise<PutResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey('assets', flashbookId)]);
      const granted = await client.query(
        'SELECT 1 FROM asset_grants WHERE flashbook_id = $1 AND asset_id = $2',
        [flashbookId, asset.id],
      );
      const used = await usedBy(client, flashbookId);
      if (granted.rowCount) {
        await client.query('COMMIT');
        return { stored: true, added: false, usedBytes: used };
      }
      if (used + data.byteLength > quotaBytes) {
        await client.query('COMMIT');
        return { stored: false, usedBytes: used };
      }
      await client.query(
        'INSERT INTO asset_objects (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
        [asset.id, Buffer.from(data.buffer, data.byteOffset, data.byteLength)],
      );
      await client.query(
        `INSERT INTO asset_grants (flashbook_id, asset_id, type, width, height, bytes)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [flashbookId, asset.id, asset.type, asset.width, asset.height, asset.bytes],
      );
      await client.query('COMMIT');
      return { stored: true, added: true, usedBytes: used + asset.bytes };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  usedBytes(flashbookId: string): Promise<number> {
    return usedBy(this.pool, flashbookId);
  }

  async get(flashbookId: string, assetId: string): Promise<StoredAsset | undefined> {
    const { rows } = await this.pool.query<{
      type: ImageType;
      width: number;
      height: number;
      bytes: number;
    }>(
      'SELECT type, width, height, bytes FROM asset_grants WHERE flashbook_id = $1 AND asset_id = $2',
      [flashbookId, assetId],
    );
    const row = rows[0];
    return row ? { id: assetId, ...row } : undefined;
  }

  read(assetId: string): Readable {
    const pool = this.pool;
    return Readable.from(
      (async function* () {
        const { rows } = await pool.query<{ data: Buffer }>(
          'SELECT data FROM asset_objects WHERE id = $1',
          [assetId],
        );
        if (!rows[0]) throw new Error(`asset ${assetId} is missing`);
        yield rows[0].data;
      })(),
    );
  }
}

async function usedBy(db: pg.Pool | pg.PoolClient, flashbookId: string): Promise<number> {
  const { rows } = await db.query<{ n: number | null }>(
    'SELECT sum(bytes)::int8 AS n FROM asset_grants WHERE flashbook_id = $1',
    [flashbookId],
  );
  return rows[0]?.n ?? 0;
}
