import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { databaseImageStore } from './database-image-store.ts';
import { diskImageStore } from './disk-image-store.ts';
import type { ImageStore } from './image-store.ts';

/** The store IMAGE_STORE names: files under DATA_DIR/uploads, or the database. */
export function createImageStore(config: Pick<Config, 'IMAGE_STORE' | 'DATA_DIR'>, db: Db): ImageStore {
  return config.IMAGE_STORE === 'database' ? databaseImageStore(db) : diskImageStore(config.DATA_DIR);
}
