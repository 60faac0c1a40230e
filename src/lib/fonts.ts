import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The embedded fonts every PDF, label and rendered text uses: whole DejaVu TTFs from the npm
 * package (they carry Cyrillic and the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І), never a system path.
 */
const ttfDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONTS = {
  regular: join(ttfDir, 'DejaVuSans.ttf'),
  bold: join(ttfDir, 'DejaVuSans-Bold.ttf'),
  condensed: join(ttfDir, 'DejaVuSansCondensed.ttf'),
  condensedBold: join(ttfDir, 'DejaVuSansCondensed-Bold.ttf'),
  mono: join(ttfDir, 'DejaVuSansMono.ttf'),
  monoBold: join(ttfDir, 'DejaVuSansMono-Bold.ttf'),
} as const;

export type FontName = keyof typeof FONTS;
