/**
 * The media labels print on (DESIGN.md › Outputs). Sizes in pt (1/72 in). `dpi` is the printer's
 * dot grid that barcode modules are counted in: Zebra thermal heads are 203 dpi; Brother QL heads
 * 300 dpi; office lasers print sheets at 300/600/1200 dpi, all multiples of a 300 dpi grid.
 */
export const LABEL_FORMATS = ['4x6', '4x2', '2x1', '62mm', 'a4-l7163', 'a4-l7160', 'letter-5160'] as const;
export type LabelFormatId = (typeof LABEL_FORMATS)[number];

/** Formats a Zebra prints from ZPL (203 or 300 dpi heads). */
export const THERMAL_FORMATS = ['4x6', '4x2', '2x1'] as const satisfies readonly LabelFormatId[];
export type ThermalFormatId = (typeof THERMAL_FORMATS)[number];

const MM = 72 / 25.4;
const IN = 72;

export interface SheetGrid {
  page: { width: number; height: number };
  columns: number;
  rows: number;
  /** The first label's top-left corner, and the distance between labels' corners. */
  left: number;
  top: number;
  pitchX: number;
  pitchY: number;
}

/** How a label of this size is laid out (see labels.layout.ts). */
export interface LabelLayout {
  /** Inside the label's edge: sheets allow for a printer's feed misalignment. */
  margin: number;
  /** `full`: a black band across the top, the number below; `inline`: a box beside the number. */
  banner: 'full' | 'inline';
  bannerHeight: number;
  numberSize: number;
  /** Code 128 module width in dots, bar height in pt, the compact number under it. */
  code128Dots: number;
  barHeight: number;
  compactText: boolean;
  /** DataMatrix module in dots (0: none); beside the barcode (`row`) or beside the fields (`fields`). */
  dataMatrixDots: number;
  dataMatrixAt: 'row' | 'fields';
  /** The detail lines: `captioned` (caption + value), or `lines` (value lines by priority). */
  fields: 'captioned' | 'lines';
  lineSize: number;
  maxLines: number;
}

export interface LabelFormat {
  id: LabelFormatId;
  title: string;
  printer: string;
  width: number;
  height: number;
  dpi: number;
  sheet: SheetGrid | null;
  layout: LabelLayout;
}

const A4 = { width: 210 * MM, height: 297 * MM };
const LETTER = { width: 8.5 * IN, height: 11 * IN };

export const FORMATS: Record<LabelFormatId, LabelFormat> = {
  '4x6': {
    id: '4x6',
    title: 'thermal roll 4 × 6 in',
    printer: 'Zebra 4 in head (ZD420/ZD620/ZT410, GK420d…); the PDF at 203 dpi, ZPL at 203 or 300',
    width: 4 * IN,
    height: 6 * IN,
    dpi: 203,
    sheet: null,
    layout: {
      margin: 3 * MM,
      banner: 'full',
      bannerHeight: 13 * MM,
      numberSize: 30,
      code128Dots: 5,
      barHeight: 30 * MM,
      compactText: true,
      dataMatrixDots: 10,
      dataMatrixAt: 'fields',
      fields: 'captioned',
      lineSize: 16,
      maxLines: 9,
    },
  },
  '4x2': {
    id: '4x2',
    title: 'thermal roll 4 × 2 in',
    printer: 'Zebra 4 in head; the PDF at 203 dpi, ZPL at 203 or 300',
    width: 4 * IN,
    height: 2 * IN,
    dpi: 203,
    sheet: null,
    layout: {
      margin: 2 * MM,
      banner: 'inline',
      bannerHeight: 6 * MM,
      numberSize: 17,
      code128Dots: 4,
      barHeight: 12 * MM,
      compactText: true,
      dataMatrixDots: 8,
      dataMatrixAt: 'row',
      fields: 'lines',
      lineSize: 9,
      maxLines: 5,
    },
  },
  '2x1': {
    id: '2x1',
    title: 'thermal roll 2 × 1 in',
    printer:
      'Zebra 2 in (ZD410/ZD411) or 2 × 1 in stock on a 4 in Zebra; the PDF at 203 dpi, ZPL at 203 or 300',
    width: 2 * IN,
    height: 1 * IN,
    dpi: 203,
    sheet: null,
    layout: {
      margin: 1.5 * MM,
      banner: 'inline',
      bannerHeight: 4 * MM,
      numberSize: 10,
      code128Dots: 2,
      barHeight: 9 * MM,
      compactText: false,
      dataMatrixDots: 0,
      dataMatrixAt: 'row',
      fields: 'lines',
      lineSize: 6.5,
      maxLines: 2,
    },
  },
  '62mm': {
    id: '62mm',
    title: 'Brother continuous 62 mm (62 × 29 mm)',
    printer: 'Brother QL (QL-700/800/820NWB…) 300 dpi, DK-22205 62 mm tape cut at 29 mm',
    width: 62 * MM,
    height: 29 * MM,
    dpi: 300,
    sheet: null,
    layout: {
      margin: 1.5 * MM,
      banner: 'inline',
      bannerHeight: 4.2 * MM,
      numberSize: 11,
      code128Dots: 3,
      barHeight: 7 * MM,
      compactText: true,
      dataMatrixDots: 5,
      dataMatrixAt: 'row',
      fields: 'lines',
      lineSize: 6.5,
      maxLines: 3,
    },
  },
  'a4-l7163': {
    id: 'a4-l7163',
    title: 'A4 sheet, 14 labels 99.1 × 38.1 mm (Avery L7163)',
    printer: 'office laser or inkjet, A4, at 100 % scale ("actual size")',
    width: 99.1 * MM,
    height: 38.1 * MM,
    dpi: 300,
    sheet: {
      page: A4,
      columns: 2,
      rows: 7,
      left: 4.65 * MM,
      top: 15.15 * MM,
      pitchX: 101.6 * MM,
      pitchY: 38.1 * MM,
    },
    layout: {
      margin: 3 * MM,
      banner: 'inline',
      bannerHeight: 5 * MM,
      numberSize: 14,
      code128Dots: 4,
      barHeight: 9 * MM,
      compactText: true,
      dataMatrixDots: 7,
      dataMatrixAt: 'row',
      fields: 'lines',
      lineSize: 7.5,
      maxLines: 4,
    },
  },
  'a4-l7160': {
    id: 'a4-l7160',
    title: 'A4 sheet, 21 labels 63.5 × 38.1 mm (Avery L7160)',
    printer: 'office laser or inkjet, A4, at 100 % scale ("actual size")',
    width: 63.5 * MM,
    height: 38.1 * MM,
    dpi: 300,
    sheet: {
      page: A4,
      columns: 3,
      rows: 7,
      left: 7.21 * MM,
      top: 15.15 * MM,
      pitchX: 66.04 * MM,
      pitchY: 38.1 * MM,
    },
    layout: {
      margin: 2.5 * MM,
      banner: 'inline',
      bannerHeight: 4.5 * MM,
      numberSize: 11,
      code128Dots: 3,
      barHeight: 9 * MM,
      compactText: true,
      dataMatrixDots: 6,
      dataMatrixAt: 'row',
      fields: 'lines',
      lineSize: 7,
      maxLines: 4,
    },
  },
  'letter-5160': {
    id: 'letter-5160',
    title: 'US Letter sheet, 30 labels 2⅝ × 1 in (Avery 5160)',
    printer: 'office laser or inkjet, US Letter, at 100 % scale ("actual size")',
    width: 2.625 * IN,
    height: 1 * IN,
    dpi: 300,
    sheet: {
      page: LETTER,
      columns: 3,
      rows: 10,
      left: 0.1875 * IN,
      top: 0.5 * IN,
      pitchX: 2.75 * IN,
      pitchY: 1 * IN,
    },
    layout: {
      margin: 1.8 * MM,
      banner: 'inline',
      bannerHeight: 3.8 * MM,
      numberSize: 9.5,
      code128Dots: 3,
      barHeight: 8 * MM,
      compactText: false,
      dataMatrixDots: 4,
      dataMatrixAt: 'row',
      fields: 'lines',
      lineSize: 6,
      maxLines: 2,
    },
  },
};

export const perSheet = (f: LabelFormat) => (f.sheet ? f.sheet.columns * f.sheet.rows : 1);
