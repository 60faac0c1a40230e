import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection, now. A report of thousands of pages allocates fast and keeps little
 * (pdfkit writes each page out as it ends), but V8 lets the heap grow far past what is live before
 * it collects: a collection every few hundred pages keeps the process's memory near its live size.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
