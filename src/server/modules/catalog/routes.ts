import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../app-error.ts';
import type { ModuleDeps } from '../../module-deps.ts';
import { registerAdminCatalogRoutes } from './admin-routes.ts';
import { createImageStore } from './create-image-store.ts';
import { type ImageStore, isImageName, UPLOADS_PREFIX } from './image-store.ts';
import { registerShopCatalogRoutes } from './shop-routes.ts';

/** Product illustrations that ship with the project (see src/server/db/seed/images). */
export const SHIPPED_IMAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../db/seed/images');

/** The catalog module: images, the shop's reads and the console's product management. */
export async function registerCatalogRoutes(
  app: FastifyInstance,
  deps: Pick<ModuleDeps, 'db' | 'config' | 'listing' | 'behaviour'>,
) {
  await app.register(fastifyStatic, {
    root: SHIPPED_IMAGES_DIR,
    prefix: '/images/',
    decorateReply: false,
    maxAge: '1d',
  });
  const images = createImageStore(deps.config, deps.db);
  registerUploadedImages(app, images);

  registerShopCatalogRoutes(app, deps);
  await registerAdminCatalogRoutes(app, { ...deps, images });
}

/**
 * Admin uploads, served the same way from either store. A name is never given to other bytes
 * (images.ts), so a browser or CDN may keep each one for a year without asking again.
 */
function registerUploadedImages(app: FastifyInstance, images: ImageStore) {
  app.get<{ Params: { name: string } }>(
    `${UPLOADS_PREFIX}:name`,
    { schema: { hide: true } },
    async (request, reply) => {
      const { name } = request.params;
      const image = isImageName(name) ? await images.read(name) : null;
      if (!image) throw notFound('Image');
      const etag = `"${image.sha256}"`;
      reply
        .header('content-type', image.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', etag);
      const asked = request.headers['if-none-match'];
      if (asked?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      return reply.send(image.bytes);
    },
  );
}
