import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Custody Ledger API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** Interactive API docs at /docs, served from the swagger-ui-dist package (no CDN). */
export function docsRouter(): Router {
  const router = express.Router();
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  // One GET route per file of the package (read once), so that the 405/OPTIONS handlers, which read
  // the app's routes, know each asset and its methods; a name that is not a file stays 404.
  const files = readdirSync(dist, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${entry.name.replace(/[(){}*:?+!\\]/g, '\\$&')}`);
  const assets = express.Router();
  assets.get(files, express.static(dist, { index: false, maxAge: '1d' }));
  router.use('/assets', assets);
  return router;
}
