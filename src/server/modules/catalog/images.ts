import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AdminProduct } from '../../../contract/catalog.ts';
import { AppError, notFound } from '../../app-error.ts';
import { type CatalogContext, getAdminProduct } from './admin-products.ts';
import { countProductsWithImage, productImagePath, updateProductRow } from './queries.ts';

/** Product pictures uploaded through the console. */

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const IMAGE_TYPES = [
  { ext: 'png', test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')) },
  { ext: 'jpg', test: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: 'webp',
    test: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The file extension for a PNG, JPEG or WebP judged by its first bytes, whatever it claims to be. */
export function sniffImageType(bytes: Buffer): string | null {
  return IMAGE_TYPES.find((t) => t.test(bytes))?.ext ?? null;
}

export function uploadsDir(dataDir: string): string {
  return join(dataDir, 'uploads');
}

/** Stores a checked picture under DATA_DIR/uploads with a fresh name; returns its URL path. */
export async function storeUploadedImage(
  ctx: { dataDir: string },
  prefix: string,
  bytes: Buffer,
): Promise<string> {
  const ext = sniffImageType(bytes);
  if (!ext) {
    throw new AppError(415, 'unsupported_media_type', 'The image must be a PNG, JPEG or WebP file');
  }
  const dir = uploadsDir(ctx.dataDir);
  await mkdir(dir, { recursive: true });
  const file = `${prefix}-${randomBytes(6).toString('hex')}.${ext}`;
  await writeFile(join(dir, file), bytes);
  return `/uploads/${file}`;
}

/**
 * Stores an uploaded image and points the product at it. The picture it replaces is deleted only
 * when no other product points to it (an admin may have given several products the same
 * `imageUrl`, and an import may name one file for many rows).
 */
export async function setProductImage(
  ctx: CatalogContext & { dataDir: string },
  id: number,
  bytes: Buffer,
): Promise<AdminProduct> {
  const { db } = ctx;
  const previous = await productImagePath(db, id);
  if (previous === undefined) throw notFound('Product');
  const url = await storeUploadedImage(ctx, `product-${id}`, bytes);
  await updateProductRow(db, id, { image_path: url });
  ctx.listing?.invalidate();
  if (previous?.startsWith('/uploads/') && (await countProductsWithImage(db, previous)) === 0) {
    await unlink(join(uploadsDir(ctx.dataDir), basename(previous))).catch(() => undefined);
  }
  return getAdminProduct(db, id);
}
