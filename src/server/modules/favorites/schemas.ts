import { z } from 'zod';
import { idSegment } from '../../http/params.ts';

export const productIdParams = z.object({ productId: idSegment });
