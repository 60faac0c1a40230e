import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds `.openapi()` to zod schemas; every contract imports `z` from here so it runs first.
extendZodWithOpenApi(z);

export { z };
