/**
 * One concept: where uploaded product pictures are kept (IMAGE_STORE, docs/decisions/123). Products
 * point at `/uploads/<name>` whichever store holds the bytes, so switching stores changes no
 * product JSON; names are made unique by the uploader and never reused, so a name's bytes never
 * change and may be cached for good.
 */

export interface StoredImage {
  bytes: Buffer;
  contentType: string;
  /** Hex SHA-256 of the bytes: the ETag. */
  sha256: string;
}

export interface ImageStore {
  /** Keeps a checked picture under a fresh name. */
  save(name: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The picture stored under `name`, or null when there is none. */
  read(name: string): Promise<StoredImage | null>;
  /** Forgets the picture under `name`; nothing happens when there is none. */
  remove(name: string): Promise<void>;
}

/** The URL path products point to; the name follows it. */
export const UPLOADS_PREFIX = '/uploads/';

/** The types an upload may have (sniffed from its bytes), by the extension its name gets. */
export const IMAGE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/** A name an upload could have been given: no path separators, no leading dot. */
export function isImageName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,245}$/.test(name);
}
