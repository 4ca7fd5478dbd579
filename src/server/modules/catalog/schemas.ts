import { z } from 'zod';
import { idSegment } from '../../http/params.ts';

/** Route-level schemas of the catalog module; the shared shapes live in src/contract/catalog.ts. */

export const productIdParamsSchema = z.object({ id: idSegment });
