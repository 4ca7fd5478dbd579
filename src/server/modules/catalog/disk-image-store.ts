import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { IMAGE_CONTENT_TYPES, type ImageStore } from './image-store.ts';

/**
 * One concept: uploaded pictures as files under DATA_DIR/uploads (IMAGE_STORE=disk, the default).
 * Only one instance sees them unless that folder is shared.
 */
export function diskImageStore(dataDir: string): ImageStore {
  const dir = join(dataDir, 'uploads');
  return {
    async save(name, bytes) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), bytes);
    },
    async read(name) {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(dir, name));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
        throw error;
      }
      return {
        bytes,
        // The extension was chosen from the sniffed bytes when the file was stored.
        contentType: IMAGE_CONTENT_TYPES[extname(name).slice(1)] ?? 'application/octet-stream',
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    },
    async remove(name) {
      await unlink(join(dir, name)).catch(() => undefined);
    },
  };
}
