import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '../../module-deps.ts';
import { registerAdminCatalogRoutes } from './admin-routes.ts';
import { uploadsDir } from './images.ts';
import { registerShopCatalogRoutes } from './shop-routes.ts';

/** Product illustrations that ship with the project (see src/server/db/seed/images). */
export const SHIPPED_IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../db/seed/images');

/** The catalog module: images, the shop's reads and the console's product management. */
export async function registerCatalogRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'listing' | 'behaviour'>,
) {
  // Shipped illustrations and admin uploads; file names are unique, so they may be cached.
  const uploads = uploadsDir(deps.config.DATA_DIR);
  mkdirSync(uploads, { recursive: true });
  await app.register(fastifyStatic, {
    root: SHIPPED_IMAGES_DIR,
    prefix: '/images/',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: uploads,
    prefix: '/uploads/',
    decorateReply: false,
    maxAge: '365d',
    immutable: true,
  });

  registerShopCatalogRoutes(app, deps);
  await registerAdminCatalogRoutes(app, deps);
}
