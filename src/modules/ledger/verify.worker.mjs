// The worker's entry point: TypeScript is loaded through tsx, as in the service itself.
import { register } from 'tsx/esm/api';

register();
await import('./verify.worker.ts');
