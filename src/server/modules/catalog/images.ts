import { randomBytes } from 'node:crypto';
import type { AdminProduct } from '../../../contract/catalog.ts';
import { AppError, notFound } from '../../app-error.ts';
import { type CatalogContext, getAdminProduct } from './admin-products.ts';
import { IMAGE_CONTENT_TYPES, type ImageStore, UPLOADS_PREFIX } from './image-store.ts';
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

/** Stores a checked picture in the image store under a fresh name; returns its URL path. */
export async function storeUploadedImage(
  ctx: { images: ImageStore },
  prefix: string,
  bytes: Buffer,
): Promise<string> {
  const ext = sniffImageType(bytes);
  if (!ext) {
    throw new AppError(415, 'unsupported_media_type', 'The image must be a PNG, JPEG or WebP file');
  }
  // 48 random bits per product: a name is never given twice, so its bytes never change.
  const name = `${prefix}-${randomBytes(6).toString('hex')}.${ext}`;
  await ctx.images.save(name, bytes, IMAGE_CONTENT_TYPES[ext]);
  return `${UPLOADS_PREFIX}${name}`;
}

/**
 * Stores an uploaded image and points the product at it. The picture it replaces is deleted only
 * when no other product points to it (an admin may have given several products the same
 * `imageUrl`, and an import may name one file for many rows).
 */
export async function setProductImage(
  ctx: CatalogContext & { images: ImageStore },
  id: number,
  bytes: Buffer,
): Promise<AdminProduct> {
  const { db } = ctx;
  const previous = await productImagePath(db, id);
  if (previous === undefined) throw notFound('Product');
  const url = await storeUploadedImage(ctx, `product-${id}`, bytes);
  await updateProductRow(db, id, { image_path: url });
  ctx.listing?.invalidate();
  if (previous?.startsWith(UPLOADS_PREFIX) && (await countProductsWithImage(db, previous)) === 0) {
    await ctx.images.remove(previous.slice(UPLOADS_PREFIX.length));
  }
  return getAdminProduct(db, id);
}
