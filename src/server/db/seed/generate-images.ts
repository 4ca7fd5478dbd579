/**
 * Draws the demo product illustrations into ./images as SVG: a gradient in the category's colour,
 * shifted per product, a line-art icon, soft shapes placed from a hash of the name, and the name.
 * The output is committed, so the shop never fetches an image from the internet.
 * Run after changing demo-catalog.ts: `node src/server/db/seed/generate-images.ts`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CATEGORIES, DEMO_PRODUCTS, type DemoIcon } from './demo-catalog.ts';

// Icons in a 200×200 box, stroked in white.
const ICONS: Record<DemoIcon, string> = {
  headphones: `<path d="M40 120 V100 a60 60 0 0 1 120 0 V120"/><rect x="28" y="112" width="34" height="56" rx="14" fill="#fff" fill-opacity=".25"/><rect x="138" y="112" width="34" height="56" rx="14" fill="#fff" fill-opacity=".25"/>`,
  speaker: `<rect x="55" y="30" width="90" height="140" rx="22" fill="#fff" fill-opacity=".2"/><circle cx="100" cy="118" r="30"/><circle cx="100" cy="118" r="9" fill="#fff"/><circle cx="100" cy="60" r="10"/>`,
  watch: `<path d="M78 40 L84 14 H116 L122 40 M78 160 L84 186 H116 L122 160"/><rect x="60" y="40" width="80" height="120" rx="24" fill="#fff" fill-opacity=".2"/><path d="M100 72 V100 L118 112"/>`,
  camera: `<rect x="30" y="60" width="140" height="96" rx="18" fill="#fff" fill-opacity=".2"/><path d="M72 60 L82 40 H118 L128 60"/><circle cx="100" cy="108" r="30"/><circle cx="100" cy="108" r="12" fill="#fff"/>`,
  keyboard: `<rect x="16" y="56" width="168" height="92" rx="14" fill="#fff" fill-opacity=".2"/><path d="M40 82 H48 M64 82 H72 M88 82 H96 M112 82 H120 M136 82 H144 M160 82 H164 M40 104 H56 M72 104 H80 M96 104 H104 M120 104 H128 M144 104 H160 M64 126 H136"/>`,
  mug: `<path d="M42 60 H138 V140 a24 24 0 0 1 -24 24 H66 a24 24 0 0 1 -24 -24 Z" fill="#fff" fill-opacity=".2"/><path d="M138 78 H152 a20 20 0 0 1 0 40 H138"/><path d="M72 40 q8 -10 0 -20 M100 40 q8 -10 0 -20"/>`,
  pan: `<circle cx="86" cy="104" r="56" fill="#fff" fill-opacity=".2"/><circle cx="86" cy="104" r="40"/><path d="M140 88 L186 62"/>`,
  lamp: `<path d="M62 36 H138 L162 100 H38 Z" fill="#fff" fill-opacity=".2"/><path d="M100 100 V160 M66 168 H134"/>`,
  board: `<rect x="30" y="52" width="120" height="110" rx="20" fill="#fff" fill-opacity=".2"/><rect x="46" y="68" width="88" height="78" rx="12"/><path d="M150 96 H176 a8 8 0 0 1 0 16 H150"/>`,
  kettle: `<path d="M48 150 Q40 80 100 72 Q160 80 152 150 Z" fill="#fff" fill-opacity=".2"/><path d="M68 72 Q100 24 132 72 M48 112 L22 84 M40 160 H160"/><circle cx="100" cy="58" r="6" fill="#fff"/>`,
  tent: `<path d="M100 32 L20 168 H180 Z" fill="#fff" fill-opacity=".2"/><path d="M100 32 L100 168 M78 168 L100 112 L122 168 M100 32 L90 18 M100 32 L110 18"/>`,
  backpack: `<rect x="48" y="46" width="104" height="128" rx="30" fill="#fff" fill-opacity=".2"/><path d="M76 46 V36 a24 24 0 0 1 48 0 V46"/><rect x="68" y="110" width="64" height="40" rx="10"/><path d="M68 126 H132"/>`,
  bottle: `<path d="M76 64 Q76 50 86 46 V28 H114 V46 Q124 50 124 64 V170 a10 10 0 0 1 -10 10 H86 a10 10 0 0 1 -10 -10 Z" fill="#fff" fill-opacity=".2"/><path d="M80 28 H120 M76 96 H124 M76 140 H124"/>`,
  flashlight: `<path d="M28 100 a72 40 0 0 1 144 0"/><circle cx="100" cy="104" r="30" fill="#fff" fill-opacity=".25"/><circle cx="100" cy="104" r="14" fill="#fff"/><path d="M100 52 V36 M70 62 L60 48 M130 62 L140 48"/>`,
  boot: `<path d="M64 28 H112 V112 L164 132 a16 16 0 0 1 12 16 V164 H40 V40 a12 12 0 0 1 12 -12 Z" fill="#fff" fill-opacity=".2"/><path d="M40 148 H176 M80 52 H112 M80 72 H112 M80 92 H112"/>`,
  book: `<path d="M100 48 Q70 30 28 36 V162 Q70 156 100 172 Q130 156 172 162 V36 Q130 30 100 48 Z" fill="#fff" fill-opacity=".2"/><path d="M100 48 V172 M48 68 Q68 66 84 74 M48 92 Q68 90 84 98 M116 74 Q132 66 152 68"/>`,
  sweater: `<path d="M70 36 L30 56 L18 148 H46 L52 84 V172 H148 V84 L154 148 H182 L170 56 L130 36 Q100 60 70 36 Z" fill="#fff" fill-opacity=".2"/><path d="M52 156 H148 M70 36 Q100 60 130 36"/>`,
  shoe: `<path d="M22 120 Q24 84 44 80 L84 92 Q120 96 150 112 Q180 122 182 140 V150 H22 Z" fill="#fff" fill-opacity=".2"/><path d="M22 136 H182 M66 90 L74 110 M86 94 L92 112 M106 98 L110 116"/>`,
  jacket: `<path d="M72 30 L34 52 L24 150 H50 V174 H150 V150 H176 L166 52 L128 30 L100 60 Z" fill="#fff" fill-opacity=".2"/><path d="M100 60 V174 M72 30 Q100 20 128 30 M70 120 H86 M114 120 H130"/>`,
  beanie: `<path d="M36 132 Q36 48 100 48 Q164 48 164 132 Z" fill="#fff" fill-opacity=".2"/><rect x="28" y="128" width="144" height="34" rx="10"/><circle cx="100" cy="36" r="14" fill="#fff"/><path d="M70 128 V80 M100 128 V64 M130 128 V80"/>`,
  tee: `<path d="M70 34 L28 58 L42 96 L60 88 V172 H140 V88 L158 96 L172 58 L130 34 Q100 56 70 34 Z" fill="#fff" fill-opacity=".2"/><path d="M70 34 Q100 56 130 34"/>`,
};

function hsl(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l * 100];
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [(h * 60 + 360) % 360, s * 100, l * 100];
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** Splits a name into at most two lines of about 22 characters. */
function lines(name: string): string[] {
  if (name.length <= 22) return [name];
  const words = name.split(' ');
  let first = '';
  while (words.length && `${first} ${words[0]}`.trim().length <= 22)
    first = `${first} ${words.shift()}`.trim();
  return [first, words.join(' ')];
}

export function productSvg(product: (typeof DEMO_PRODUCTS)[number], categoryName: string, color: string) {
  const bytes = createHash('sha256').update(product.slug).digest();
  const [h, s] = hsl(color);
  const shift = (bytes[0] % 40) - 20;
  const from = `hsl(${Math.round(h + shift)} ${Math.round(s)}% 58%)`;
  const to = `hsl(${Math.round(h - shift + 25)} ${Math.round(Math.min(100, s + 5))}% 34%)`;
  const blobs = [0, 1, 2, 3]
    .map((i) => {
      const cx = 40 + (bytes[1 + i * 3] / 255) * 720;
      const cy = 30 + (bytes[2 + i * 3] / 255) * 420;
      const r = 40 + (bytes[3 + i * 3] / 255) * 120;
      return `<circle cx="${cx.toFixed(0)}" cy="${cy.toFixed(0)}" r="${r.toFixed(0)}" fill="#fff" fill-opacity="${(0.05 + (i % 2) * 0.04).toFixed(2)}"/>`;
    })
    .join('');
  const title = lines(product.name);
  const text = title
    .map(
      (line, i) =>
        `<text x="400" y="${title.length === 1 ? 500 : 478 + i * 44}" text-anchor="middle" font-size="38" font-weight="700" fill="#fff">${escapeXml(line)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" width="800" height="600" role="img" aria-label="${escapeXml(product.name)}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="800" height="600" fill="url(#g)"/>${blobs}
<g transform="translate(270 90) scale(1.3)" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round" stroke-linejoin="round">${ICONS[product.icon]}</g>
<g font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif">${text}
<text x="40" y="60" font-size="22" font-weight="600" fill="#fff" fill-opacity=".85" letter-spacing="2">${escapeXml(categoryName.toUpperCase())}</text></g>
</svg>
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'images');
  mkdirSync(dir, { recursive: true });
  for (const product of DEMO_PRODUCTS) {
    const category = DEMO_CATEGORIES.find((c) => c.slug === product.category)!;
    writeFileSync(join(dir, `${product.slug}.svg`), productSvg(product, category.name, category.color));
  }
  console.log(`wrote ${DEMO_PRODUCTS.length} images to ${dir}`);
}
