// The worker's entry point when run from source: TypeScript loaded through tsx, as in the tests and the
// CLI. The built service (dist/server.js) starts the plain-JavaScript dist/verify.worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./verify.worker.ts');
