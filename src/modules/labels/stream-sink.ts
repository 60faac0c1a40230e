import type { Writable } from 'node:stream';

/** Chunks are gathered up to this size before a write: pdfkit emits many small pieces per page. */
const BATCH = 64 * 1024;

/**
 * Paces a long generated answer to its client: gathers chunks into writes of about 64 KB, waits
 * for `drain` when the socket's buffer is full, yields to the event loop otherwise (other requests
 * go on being answered), and notices a client that went away so the work stops instead of
 * rendering into the void.
 */
export class StreamSink {
  private readonly out: Writable;
  private full = false;
  private gone = false;
  private parts: Buffer[] = [];
  private size = 0;

  constructor(out: Writable) {
    this.out = out;
    const onClose = () => {
      if (!out.writableFinished) this.gone = true;
    };
    out.once('close', onClose);
    out.once('error', onClose);
  }

  get aborted(): boolean {
    return this.gone || this.out.destroyed;
  }

  write(chunk: Buffer | string): void {
    if (this.aborted) return;
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.size === 0 || this.aborted) return;
    const data = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    if (!this.out.write(data)) this.full = true;
  }

  /** Call between pages: resolves when it is fine to go on; check `aborted` afterwards. */
  async pace(): Promise<void> {
    this.flush();
    if (this.full && !this.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('close', done);
          resolve();
        };
        this.out.on('drain', done);
        this.out.on('close', done);
      });
      this.full = false;
    } else {
      await new Promise((r) => setImmediate(r));
    }
  }

  end(): void {
    this.flush();
    if (!this.aborted) this.out.end();
  }
}
