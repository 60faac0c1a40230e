/** A one-line progress bar on a terminal; nothing at all when the stream is not a TTY. */
export function progressBar(stream: NodeJS.WriteStream, label: string) {
  const started = performance.now();
  let last = 0;
  const draw = (done: number, total: number) => {
    const width = 30;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * width);
    const secs = ((performance.now() - started) / 1000).toFixed(0);
    stream.write(
      `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
        `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${secs} s`,
    );
  };
  if (!stream.isTTY) return { update: (_done: number, _total: number) => {}, stop: () => {} };
  return {
    update(done: number, total: number) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    stop() {
      stream.write('\n');
    },
  };
}
