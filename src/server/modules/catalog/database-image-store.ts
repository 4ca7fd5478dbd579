import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { ImageStore } from './image-store.ts';

/**
 * One concept: uploaded pictures as rows of product_images (IMAGE_STORE=database), so every
 * instance on the database serves every upload without a shared folder.
 */
export function databaseImageStore(db: Db): ImageStore {
  return {
    async save(name, bytes, contentType) {
      await db
        .insertInto('product_images')
        .values({
          name,
          content_type: contentType,
          size_bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes,
          created_at: Date.now(),
        })
        .execute();
    },
    async read(name) {
      const row = await db
        .selectFrom('product_images')
        .select(['bytes', 'content_type', 'sha256'])
        .where('name', '=', name)
        .executeTakeFirst();
      if (!row) return null;
      const { buffer, byteOffset, byteLength } = row.bytes;
      return {
        bytes: Buffer.from(buffer, byteOffset, byteLength),
        contentType: row.content_type,
        sha256: row.sha256,
      };
    },
    async remove(name) {
      await db.deleteFrom('product_images').where('name', '=', name).execute();
    },
  };
}
