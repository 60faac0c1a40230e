import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { fromRoot } from '../lib/paths';

/** src/web in the project (also when the service runs bundled from dist/). */
const HERE = fromRoot('src', 'web');
const require = createRequire(import.meta.url);

/** The client bundles: one entry per page that needs script, sharing chunks. */
export const ENTRIES = ['app', 'dashboard', 'scan', 'intake', 'item', 'disposal', 'audit'] as const;

interface Asset {
  type: string;
  body: Buffer;
}

/**
 * Bundles src/web/client with the esbuild that tsx installs, once per process, on the first
 * request for a script (≈ 0.3 s): no build step beyond `npm ci`, nothing fetched at run time.
 */
let built: Promise<Map<string, Asset>> | null = null;

async function build(): Promise<Map<string, Asset>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: ENTRIES.map((e) => join(HERE, 'client', `${e}.ts`)),
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    outdir: '/assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    assets.set(file.path.replace(/^.*\//, ''), {
      type: 'text/javascript; charset=utf-8',
      body: Buffer.from(file.contents),
    });
  }
  return assets;
}

function staticAssets(): Map<string, Asset> {
  const m = new Map<string, Asset>();
  m.set('app.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(HERE, 'assets', 'app.css')) });
  // The camera decoder's WebAssembly, served here so the polyfill never reaches for a CDN.
  m.set('zxing_reader.wasm', {
    type: 'application/wasm',
    body: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')),
  });
  return m;
}

export function assetsHandler(): RequestHandler {
  let fixed: Map<string, Asset> | null = null;
  return async (req, res, next) => {
    try {
      const name = String(req.params.file ?? '');
      fixed ??= staticAssets();
      let asset = fixed.get(name);
      if (!asset && name.endsWith('.js')) {
        built ??= build();
        asset = (await built).get(name);
      }
      if (!asset) return next();
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', 'no-cache');
      res.send(asset.body);
    } catch (err) {
      built = null;
      next(err);
    }
  };
}
