import type { ItemCategory } from '../items/items.enums';
import type { LegalGround } from '../seizures/seizures.enums';

/**
 * What the demo data set is made of: regions of the 2021–2022 crackdown, equipment with public
 * spec-sheet figures, and ASIC prices over time. Plain tables; demo.generator.ts draws from them.
 */

export interface Region {
  name: string;
  /** The oblast as written on local documents. */
  local: string;
  /** Two digits used in case numbers (KATO-like oblast code). */
  code: string;
  weight: number;
  /** Towns with seizures: name as written locally, lat, lon. */
  towns: { name: string; label: string; lat: number; lon: number }[];
  streets: string[];
  /** The warehouse its seizures go to (index into WAREHOUSES). */
  warehouse: number;
}

export const REGIONS: readonly Region[] = [
  {
    name: 'Pavlodar Region (Ekibastuz)',
    local: 'Павлодарская обл.',
    code: '14',
    weight: 26,
    towns: [
      { name: 'Екібастұз', label: 'г. Экибастуз', lat: 51.7237, lon: 75.3229 },
      { name: 'Павлодар', label: 'г. Павлодар', lat: 52.2873, lon: 76.9674 },
      { name: 'Аксу', label: 'г. Аксу', lat: 52.0408, lon: 76.9278 },
    ],
    streets: [
      'промзона, ул. Энергетиков',
      'Сәтбаев көшесі',
      'ул. Ленина',
      'Северная промзона, участок',
      'ул. Горняков',
    ],
    warehouse: 0,
  },
  {
    name: 'Karaganda Region',
    local: 'Карагандинская обл.',
    code: '35',
    weight: 18,
    towns: [
      { name: 'Қарағанды', label: 'г. Караганда', lat: 49.8047, lon: 73.1094 },
      { name: 'Теміртау', label: 'г. Темиртау', lat: 50.0549, lon: 72.9646 },
      { name: 'Балқаш', label: 'г. Балхаш', lat: 46.8481, lon: 74.995 },
    ],
    streets: ['ул. Металлургов', 'Бұқар жырау даңғылы', 'пр. Республики', 'промзона Юго-Восток, стр.'],
    warehouse: 1,
  },
  {
    name: 'Akmola Region',
    local: 'Акмолинская обл.',
    code: '11',
    weight: 9,
    towns: [
      { name: 'Көкшетау', label: 'г. Кокшетау', lat: 53.2833, lon: 69.3833 },
      { name: 'Степногорск', label: 'г. Степногорск', lat: 52.3522, lon: 71.8897 },
    ],
    streets: ['ул. Абая', 'промышленная зона, стр.', 'Мәлік Ғабдуллин көшесі'],
    warehouse: 1,
  },
  {
    name: 'Almaty Region',
    local: 'Алматинская обл.',
    code: '19',
    weight: 11,
    towns: [
      { name: 'Қонаев', label: 'г. Конаев (Капшагай)', lat: 43.8667, lon: 77.0667 },
      { name: 'Талдықорған', label: 'г. Талдыкорган', lat: 45.0156, lon: 78.3739 },
      { name: 'Есік', label: 'г. Есик', lat: 43.3553, lon: 77.4528 },
    ],
    streets: ['ул. Кунаева', 'Жансүгіров көшесі', 'трасса Алматы–Капшагай, км', 'ул. Промышленная'],
    warehouse: 2,
  },
  {
    name: 'Zhambyl Region',
    local: 'Жамбылская обл.',
    code: '31',
    weight: 8,
    towns: [
      { name: 'Тараз', label: 'г. Тараз', lat: 42.9, lon: 71.3667 },
      { name: 'Шу', label: 'г. Шу', lat: 43.6, lon: 73.7667 },
    ],
    streets: ['ул. Толе би', 'промзона, ул. Химиков', 'Байзақ батыр көшесі'],
    warehouse: 3,
  },
  {
    name: 'Turkistan Region (Shymkent)',
    local: 'Туркестанская обл.',
    code: '51',
    weight: 12,
    towns: [
      { name: 'Шымкент', label: 'г. Шымкент', lat: 42.3417, lon: 69.5901 },
      { name: 'Түркістан', label: 'г. Туркестан', lat: 43.2973, lon: 68.2517 },
      { name: 'Кентау', label: 'г. Кентау', lat: 43.5167, lon: 68.5167 },
    ],
    streets: ['ул. Тамерлановское шоссе', 'Байдібек би даңғылы', 'промзона Бадам, стр.', 'ул. Жангельдина'],
    warehouse: 3,
  },
  {
    name: 'East Kazakhstan Region',
    local: 'Восточно-Казахстанская обл.',
    code: '63',
    weight: 16,
    towns: [
      { name: 'Өскемен', label: 'г. Усть-Каменогорск', lat: 49.9483, lon: 82.6275 },
      { name: 'Семей', label: 'г. Семей', lat: 50.4111, lon: 80.2275 },
      { name: 'Риддер', label: 'г. Риддер', lat: 50.3447, lon: 83.5125 },
    ],
    streets: ['ул. Промышленная', 'Қазақстан көшесі', 'пр. Шакарима', 'территория бывшего завода, корпус'],
    warehouse: 2,
  },
];

export const WAREHOUSES = [
  'Экибастуз — склад вещественных доказательств №1',
  'Караганда — склад вещественных доказательств №2',
  'Алматы — склад вещественных доказательств №3',
  'Шымкент — склад вещественных доказательств №4',
] as const;

export const FARM_WORDS = [
  'Қуат',
  'Сарыарқа',
  'Алтын Хэш',
  'Жарық Дата',
  'Ертіс Майнинг',
  'Тұлпар',
  'Болашақ Компьют',
  'Steppe Hash',
  'Nomad Compute',
  'Энергия-Дата',
  'Цифровой Актив',
  'Ақ Жол Майнинг',
  'Байтерек Блок',
  'Kazakh Mining Group',
  'Көк Бөрі',
  'Best Hash KZ',
  'Алатау Компьютинг',
  'Шахтёр-Крипто',
  'Север Майнинг',
  'Qazaq Hash Power',
];

export const FARM_FORMS = ['ТОО «{}»', 'ИП «{}»', 'майнинг-ферма «{}»', 'ТОО «{} Energy»', 'ферма «{}»'];

export const OFFICERS = [
  'капитан Нурланов А. Б.',
  'майор Сейткалиев Е. М.',
  'ст. лейтенант Ахметова Д. К.',
  'подполковник Жумабеков Р. С.',
  'капитан Ким В. Ю.',
  'майор Искаков Т. Н.',
  'ст. лейтенант Оспанов Б. Е.',
];

export const APPRAISERS = [
  'Ермеков Н. А., независимый оценщик (лицензия 17-0042)',
  'ТОО «Казахстанская оценочная компания»',
  'Сапарбаева Г. Т., судебный эксперт',
  'АО «Центр оценки и экспертизы»',
];

export const GROUNDS: readonly { ground: LegalGround; weight: number; basis: string; title: string }[] = [
  {
    ground: 'illegal_grid_connection',
    weight: 60,
    basis: 'УК РК ст. 214 (незаконное предпринимательство); самовольное подключение к электросетям',
    title: 'Незаконное подключение майнинг-ферм к электросетям',
  },
  {
    ground: 'tax_evasion',
    weight: 25,
    basis: 'УК РК ст. 245 (уклонение от уплаты налогов с организации)',
    title: 'Уклонение от уплаты налогов майнинговыми компаниями',
  },
  {
    ground: 'customs_evasion',
    weight: 15,
    basis: 'УК РК ст. 236 (уклонение от уплаты таможенных платежей); ввоз ASIC-майнеров без декларирования',
    title: 'Ввоз майнингового оборудования с уклонением от таможенных платежей',
  },
];

export const AGENCY = 'Агентство РК по финансовому мониторингу (АФМ)';

export interface AsicModel {
  make: 'Bitmain' | 'MicroBT';
  model: string;
  /** TH/s (the L7's 9.5 GH/s Scrypt is 0.0095). */
  hashrateThs: number;
  powerW: number;
  /** Share of the fleet in an older / a newer farm. */
  weightOld: number;
  weightNew: number;
  /** Price per TH/s relative to an S19's on the same date (older, less efficient units fetch less). */
  efficiency: number;
  serialPrefix: string;
  psu: string;
  description: string;
}

export const ASIC_MODELS: readonly AsicModel[] = [
  {
    make: 'Bitmain',
    model: 'Antminer S9',
    hashrateThs: 13.5,
    powerW: 1323,
    weightOld: 62,
    weightNew: 10,
    efficiency: 0.22,
    serialPrefix: 'S9',
    psu: 'APW3++',
    description: 'SHA-256, 13.5 TH/s',
  },
  {
    make: 'Bitmain',
    model: 'Antminer S17',
    hashrateThs: 56,
    powerW: 2520,
    weightOld: 14,
    weightNew: 8,
    efficiency: 0.45,
    serialPrefix: 'S17',
    psu: 'APW9',
    description: 'SHA-256, 56 TH/s',
  },
  {
    make: 'Bitmain',
    model: 'Antminer S19',
    hashrateThs: 95,
    powerW: 3250,
    weightOld: 6,
    weightNew: 26,
    efficiency: 1,
    serialPrefix: 'S19',
    psu: 'APW12',
    description: 'SHA-256, 95 TH/s',
  },
  {
    make: 'Bitmain',
    model: 'Antminer S19 Pro',
    hashrateThs: 110,
    powerW: 3250,
    weightOld: 2,
    weightNew: 14,
    efficiency: 1.1,
    serialPrefix: 'S19P',
    psu: 'APW12',
    description: 'SHA-256, 110 TH/s',
  },
  {
    make: 'Bitmain',
    model: 'Antminer L7',
    hashrateThs: 0.0095,
    powerW: 3425,
    weightOld: 0,
    weightNew: 4,
    efficiency: 0,
    serialPrefix: 'L7',
    psu: 'APW12',
    description: 'Scrypt (LTC/DOGE), 9.5 GH/s',
  },
  {
    make: 'MicroBT',
    model: 'Whatsminer M20S',
    hashrateThs: 68,
    powerW: 3360,
    weightOld: 14,
    weightNew: 14,
    efficiency: 0.55,
    serialPrefix: 'M20S',
    psu: 'P21',
    description: 'SHA-256, 68 TH/s',
  },
  {
    make: 'MicroBT',
    model: 'Whatsminer M30S',
    hashrateThs: 88,
    powerW: 3344,
    weightOld: 2,
    weightNew: 24,
    efficiency: 0.95,
    serialPrefix: 'M30S',
    psu: 'P21',
    description: 'SHA-256, 88 TH/s',
  },
];

/**
 * USD per TH/s of an S19-class miner by month (2021-10 … 2022-12): over $100 late in 2021, under
 * $20 late in 2022. Linear between month starts.
 */
const S19_USD_PER_TH: readonly [string, number][] = [
  ['2021-09-01', 112],
  ['2021-10-01', 110],
  ['2021-11-01', 106],
  ['2021-12-01', 98],
  ['2022-01-01', 88],
  ['2022-02-01', 80],
  ['2022-03-01', 74],
  ['2022-04-01', 68],
  ['2022-05-01', 54],
  ['2022-06-01', 40],
  ['2022-07-01', 33],
  ['2022-08-01', 30],
  ['2022-09-01', 26],
  ['2022-10-01', 22],
  ['2022-11-01', 18],
  ['2022-12-01', 17],
  ['2023-01-01', 16],
];

/** An L7 cost about $17,000 at the turn of 2022 and followed the same slide. */
const L7_USD_AT_2021_12 = 17_000;

export function usdPerTh(date: string): number {
  const t = Date.parse(date);
  const points = S19_USD_PER_TH.map(([d, v]) => [Date.parse(d), v] as const);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (t <= first[0]) return first[1];
  if (t >= last[0]) return last[1];
  for (let i = 1; i < points.length; i++) {
    const [t1, v1] = points[i]!;
    const [t0, v0] = points[i - 1]!;
    if (t <= t1) return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  }
  return last[1];
}

/** Market value of one ASIC of `m` on `date`, in US cents, before the condition discount. */
export function asicCents(m: AsicModel, date: string): number {
  if (m.efficiency === 0)
    return Math.round(L7_USD_AT_2021_12 * (usdPerTh(date) / usdPerTh('2021-12-01')) * 100);
  return Math.round(m.hashrateThs * usdPerTh(date) * m.efficiency * 100);
}

export interface GearModel {
  category: ItemCategory;
  make: string;
  model: string;
  unit?: string;
  powerW?: number;
  /** US dollars, low and high, for one unit at seizure. */
  usd: [number, number];
  description: string;
}

export const GPU_CARDS = [
  { name: 'NVIDIA GeForce RTX 3070', usd: 850, mhs: 60, w: 130 },
  { name: 'NVIDIA GeForce RTX 3080', usd: 1250, mhs: 95, w: 230 },
  { name: 'NVIDIA GeForce RTX 3060 Ti', usd: 700, mhs: 60, w: 130 },
  { name: 'AMD Radeon RX 6700 XT', usd: 650, mhs: 47, w: 120 },
  { name: 'AMD Radeon RX 580 8GB', usd: 280, mhs: 30, w: 140 },
] as const;

export const SPARES: readonly GearModel[] = [
  {
    category: 'psu',
    make: 'Bitmain',
    model: 'APW12',
    powerW: 3600,
    usd: [120, 180],
    description: 'PSU for S19/L7',
  },
  {
    category: 'psu',
    make: 'Bitmain',
    model: 'APW3++',
    powerW: 1600,
    usd: [35, 60],
    description: 'PSU for S9',
  },
  {
    category: 'psu',
    make: 'MicroBT',
    model: 'P21-12-3600',
    powerW: 3600,
    usd: [100, 150],
    description: 'PSU for M20S/M30S',
  },
  {
    category: 'cooling',
    make: 'Systemair',
    model: 'AR 800E4 sileo',
    powerW: 1900,
    usd: [450, 700],
    description: 'осевой вентилятор Ø800 мм, вытяжка горячего коридора',
  },
  {
    category: 'cooling',
    make: 'ВЕНТС',
    model: 'ОВ 4Д 630',
    powerW: 750,
    usd: [180, 320],
    description: 'осевой вентилятор Ø630 мм',
  },
  {
    category: 'cooling',
    make: 'Bitmain',
    model: 'fan 12038 (lot)',
    unit: 'pcs',
    usd: [4, 8],
    description: 'запасные вентиляторы 120×38 мм',
  },
  {
    category: 'network',
    make: 'MikroTik',
    model: 'CRS326-24G-2S+RM',
    powerW: 19,
    usd: [160, 220],
    description: 'коммутатор 24×1G, стойка ферм',
  },
  {
    category: 'network',
    make: 'TP-Link',
    model: 'TL-SG1048',
    powerW: 30,
    usd: [110, 170],
    description: 'коммутатор 48×1G',
  },
  {
    category: 'network',
    make: 'MikroTik',
    model: 'hAP ac³ LTE6',
    powerW: 15,
    usd: [150, 190],
    description: 'маршрутизатор, LTE-канал связи фермы',
  },
  {
    category: 'other',
    make: 'Noname',
    model: 'PDU 3×32A, 24×C19',
    usd: [180, 320],
    description: 'распределитель питания стойки (PDU)',
  },
  {
    category: 'other',
    make: 'Schneider Electric',
    model: 'Prisma G, ВРУ 630A',
    usd: [1500, 3000],
    description: 'вводно-распределительный щит',
  },
];

export const CABLE_LOTS: readonly GearModel[] = [
  {
    category: 'cable_lot',
    make: 'Кабельный завод «Казкабель»',
    model: 'ВВГнг-LS 3×4',
    unit: 'm',
    usd: [1.2, 1.8],
    description: 'кабель питания стоек, бухты',
  },
  {
    category: 'cable_lot',
    make: 'Noname',
    model: 'C19–C20 power cord',
    unit: 'pcs',
    usd: [3, 6],
    description: 'шнуры питания майнеров',
  },
  {
    category: 'cable_lot',
    make: 'Noname',
    model: 'UTP cat.5e patch cord',
    unit: 'pcs',
    usd: [0.8, 1.5],
    description: 'патч-корды',
  },
  {
    category: 'cable_lot',
    make: 'Кабельный завод «Казкабель»',
    model: 'АВБбШв 4×185',
    unit: 'm',
    usd: [18, 26],
    description: 'силовой кабель от КТП',
  },
];

export const TRANSFORMERS: readonly GearModel[] = [
  {
    category: 'transformer',
    make: 'Кентауский трансформаторный завод',
    model: 'ТМГ-1600/10/0,4',
    usd: [26_000, 34_000],
    description: 'силовой трансформатор 10/0,4 кВ, 1600 кВА, в составе КТП',
  },
  {
    category: 'transformer',
    make: 'Кентауский трансформаторный завод',
    model: 'ТМГ-2500/10/0,4',
    usd: [36_000, 46_000],
    description: 'силовой трансформатор 10/0,4 кВ, 2500 кВА',
  },
  {
    category: 'transformer',
    make: 'Минский электротехнический завод',
    model: 'ТМГ12-1000/10-У1',
    usd: [17_000, 23_000],
    description: 'силовой трансформатор 10/0,4 кВ, 1000 кВА',
  },
];

export const CONTAINER: GearModel = {
  category: 'container',
  make: 'Noname',
  model: 'Mining container 40ft, 210 slots',
  usd: [28_000, 42_000],
  description: 'майнинг-контейнер 40 футов с вытяжной вентиляцией',
};

export const CONDITIONS = [
  'б/у, исправен',
  'б/у, исправен',
  'б/у, сильно запылён',
  'б/у, не проверялся',
  'б/у, неисправен вентилятор',
  'б/у, отсутствует хэш-плата',
  'б/у, следы перегрева',
];

export const COURTS = [
  {
    name: 'Специализированный межрайонный суд по уголовным делам Павлодарской области',
    contact: 'канцелярия, +7 7182 00-00-00',
  },
  { name: 'Экибастузский городской суд', contact: 'канцелярия' },
  {
    name: 'Специализированный межрайонный суд по уголовным делам Карагандинской области',
    contact: 'канцелярия',
  },
  { name: 'Специализированный межрайонный суд по уголовным делам г. Шымкент', contact: 'канцелярия' },
];

export const LABS = [
  {
    name: 'Центр судебных экспертиз МЮ РК, филиал г. Караганда',
    contact: 'лаборатория компьютерно-технических экспертиз',
  },
  { name: 'Институт судебных экспертиз по г. Алматы', contact: 'отдел электротехнических экспертиз' },
];

export const EXPERTS = [
  { name: 'Ермеков Нурлан Асылбекович', contact: 'эксперт-электротехник', reference: 'лицензия 17-0042' },
  {
    name: 'Сапарбаева Гульнара Тимуровна',
    contact: 'судебный эксперт по оценке',
    reference: 'свидетельство 03-118',
  },
];

export const DEMO_USERS = [
  { username: 'demo.clerk', displayName: 'Айгерім Сапарова', role: 'clerk' },
  { username: 'demo.supervisor', displayName: 'Нұрлан Ахметов', role: 'supervisor' },
  { username: 'demo.prosecutor', displayName: 'Дана Исқақова', role: 'prosecutor' },
  { username: 'demo.auditor', displayName: 'Ержан Муканов', role: 'auditor' },
] as const;
