/**
 * The demo catalog: five categories, 25 products with real descriptions, USD prices in cents and
 * varied stock (three are sold out). Each product's illustration ships as `images/<slug>.svg`,
 * drawn by `generate-images.ts` from the `icon` named here.
 */

export interface DemoCategory {
  slug: string;
  name: string;
  /** Base colour of the category's illustrations. */
  color: string;
}

export type DemoIcon =
  | 'headphones'
  | 'speaker'
  | 'watch'
  | 'camera'
  | 'keyboard'
  | 'mug'
  | 'pan'
  | 'lamp'
  | 'board'
  | 'kettle'
  | 'tent'
  | 'backpack'
  | 'bottle'
  | 'flashlight'
  | 'boot'
  | 'book'
  | 'sweater'
  | 'shoe'
  | 'jacket'
  | 'beanie'
  | 'tee';

export interface DemoProduct {
  slug: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
  icon: DemoIcon;
  description: string;
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: 'electronics', name: 'Electronics', color: '#2563eb' },
  { slug: 'home-kitchen', name: 'Home & Kitchen', color: '#ea580c' },
  { slug: 'outdoors', name: 'Outdoors', color: '#15803d' },
  { slug: 'books', name: 'Books', color: '#7c3aed' },
  { slug: 'apparel', name: 'Apparel', color: '#db2777' },
];

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    slug: 'aurora-wireless-headphones',
    name: 'Aurora Wireless Headphones',
    category: 'electronics',
    priceCents: 12900,
    stock: 25,
    icon: 'headphones',
    description:
      'Over-ear Bluetooth 5.3 headphones with adaptive noise cancelling, 40-hour battery life and a fold-flat design that fits in the included hard case.',
  },
  {
    slug: 'pulse-bluetooth-speaker',
    name: 'Pulse Bluetooth Speaker',
    category: 'electronics',
    priceCents: 5999,
    stock: 40,
    icon: 'speaker',
    description:
      'A palm-sized, waterproof (IP67) speaker with surprisingly deep bass, 12 hours of play and a strap for your bike or backpack.',
  },
  {
    slug: 'orbit-smartwatch',
    name: 'Orbit Smartwatch',
    category: 'electronics',
    priceCents: 19900,
    stock: 0,
    icon: 'watch',
    description:
      'Always-on AMOLED display, heart-rate and sleep tracking, built-in GPS and a week of battery between charges. Swim-proof to 50 m.',
  },
  {
    slug: 'lumen-4k-webcam',
    name: 'Lumen 4K Webcam',
    category: 'electronics',
    priceCents: 8950,
    stock: 12,
    icon: 'camera',
    description:
      'Crisp 4K video with auto-framing, low-light correction and dual noise-reducing microphones. Clips onto any monitor; privacy shutter included.',
  },
  {
    slug: 'nimbus-mechanical-keyboard',
    name: 'Nimbus Mechanical Keyboard',
    category: 'electronics',
    priceCents: 10900,
    stock: 8,
    icon: 'keyboard',
    description:
      'A compact 75% keyboard with hot-swappable tactile switches, PBT keycaps, and USB-C or Bluetooth for up to three devices.',
  },
  {
    slug: 'ember-pour-over-set',
    name: 'Ember Ceramic Pour-Over Set',
    category: 'home-kitchen',
    priceCents: 4200,
    stock: 30,
    icon: 'mug',
    description:
      'Hand-glazed stoneware dripper and two matching mugs. Brews a clean, bright cup with standard #2 filters.',
  },
  {
    slug: 'cast-iron-skillet',
    name: 'Cast Iron Skillet 10"',
    category: 'home-kitchen',
    priceCents: 3495,
    stock: 18,
    icon: 'pan',
    description:
      'Pre-seasoned cast iron that goes from stovetop to oven to campfire. Heats evenly and lasts for generations with a little oil.',
  },
  {
    slug: 'linen-table-lamp',
    name: 'Linen Table Lamp',
    category: 'home-kitchen',
    priceCents: 7400,
    stock: 6,
    icon: 'lamp',
    description:
      'A turned oak base under a natural linen shade. Warm, dimmable light for a bedside or reading corner; bulb included.',
  },
  {
    slug: 'bamboo-cutting-board-trio',
    name: 'Bamboo Cutting Board Trio',
    category: 'home-kitchen',
    priceCents: 2900,
    stock: 50,
    icon: 'board',
    description:
      'Three sizes of knife-friendly bamboo boards with juice grooves, for bread, vegetables and serving cheese.',
  },
  {
    slug: 'copper-kettle',
    name: 'Copper Stovetop Kettle',
    category: 'home-kitchen',
    priceCents: 6400,
    stock: 0,
    icon: 'kettle',
    description:
      'A 1.8-litre kettle in brushed copper over stainless steel, with a cool-touch handle and a gentle whistle when the water boils.',
  },
  {
    slug: 'ridge-2-person-tent',
    name: 'Ridge 2-Person Tent',
    category: 'outdoors',
    priceCents: 21900,
    stock: 5,
    icon: 'tent',
    description:
      'A freestanding three-season tent that pitches in five minutes, weighs 1.9 kg and keeps two people dry with a full-coverage fly.',
  },
  {
    slug: 'trailhead-daypack',
    name: 'Trailhead 28L Daypack',
    category: 'outdoors',
    priceCents: 7900,
    stock: 22,
    icon: 'backpack',
    description:
      'A ventilated-back daypack with a hydration sleeve, hip-belt pockets and a stowable rain cover for long days on the trail.',
  },
  {
    slug: 'summit-insulated-bottle',
    name: 'Summit Insulated Bottle',
    category: 'outdoors',
    priceCents: 2750,
    stock: 60,
    icon: 'bottle',
    description:
      'Double-wall vacuum stainless steel keeps drinks cold for 24 hours or hot for 12. 750 ml, leak-proof lid, dishwasher safe.',
  },
  {
    slug: 'pathfinder-headlamp',
    name: 'Pathfinder Headlamp',
    category: 'outdoors',
    priceCents: 2499,
    stock: 35,
    icon: 'flashlight',
    description:
      'A 400-lumen rechargeable headlamp with red night mode, a lock-out switch and a comfortable reflective strap.',
  },
  {
    slug: 'granite-hiking-boots',
    name: 'Granite Hiking Boots',
    category: 'outdoors',
    priceCents: 14900,
    stock: 3,
    icon: 'boot',
    description:
      'Waterproof full-grain leather boots with a grippy Vibram sole and ankle support that breaks in within a weekend.',
  },
  {
    slug: 'the-quiet-orchard',
    name: 'The Quiet Orchard',
    category: 'books',
    priceCents: 1899,
    stock: 14,
    icon: 'book',
    description:
      'A novel of three generations and one stubborn apple orchard, told over a single harvest season. Paperback, 352 pages.',
  },
  {
    slug: 'practical-sourdough',
    name: 'Practical Sourdough',
    category: 'books',
    priceCents: 2400,
    stock: 9,
    icon: 'book',
    description:
      'From starter to sandwich loaf: a step-by-step baking guide with schedules that fit around a working week. Hardcover, illustrated.',
  },
  {
    slug: 'stars-over-the-atlas',
    name: 'Stars Over the Atlas',
    category: 'books',
    priceCents: 2995,
    stock: 0,
    icon: 'book',
    description:
      'A stargazing atlas with seasonal sky charts for the northern and southern hemispheres and notes for binocular observers.',
  },
  {
    slug: 'field-guide-urban-birds',
    name: 'A Field Guide to Urban Birds',
    category: 'books',
    priceCents: 2150,
    stock: 11,
    icon: 'book',
    description:
      'Identify the 120 birds you are most likely to meet in city parks and gardens, with range maps and song descriptions.',
  },
  {
    slug: 'code-that-lasts',
    name: 'Code That Lasts',
    category: 'books',
    priceCents: 3900,
    stock: 7,
    icon: 'book',
    description:
      'Lessons on writing software that survives its first rewrite: naming, testing, boundaries and the art of deleting code.',
  },
  {
    slug: 'merino-crew-sweater',
    name: 'Merino Crew Sweater',
    category: 'apparel',
    priceCents: 8900,
    stock: 16,
    icon: 'sweater',
    description:
      'Fine-gauge merino wool that is warm, breathable and itch-free. A classic crew neck that layers over a shirt or tee.',
  },
  {
    slug: 'everyday-canvas-sneakers',
    name: 'Everyday Canvas Sneakers',
    category: 'apparel',
    priceCents: 6500,
    stock: 28,
    icon: 'shoe',
    description:
      'Low-top organic canvas sneakers with a cushioned cork insole and a natural rubber sole. Machine washable.',
  },
  {
    slug: 'harbor-rain-jacket',
    name: 'Harbor Rain Jacket',
    category: 'apparel',
    priceCents: 12900,
    stock: 10,
    icon: 'jacket',
    description:
      'A seam-sealed, breathable shell with an adjustable hood and pit zips. Packs into its own pocket.',
  },
  {
    slug: 'wool-beanie',
    name: 'Ribbed Wool Beanie',
    category: 'apparel',
    priceCents: 2200,
    stock: 45,
    icon: 'beanie',
    description: 'A soft ribbed beanie in recycled wool with a fold-over cuff. One size fits most.',
  },
  {
    slug: 'organic-cotton-tee',
    name: 'Organic Cotton Tee',
    category: 'apparel',
    priceCents: 2500,
    stock: 80,
    icon: 'tee',
    description:
      'A heavyweight, pre-shrunk tee in GOTS-certified organic cotton with a relaxed fit and reinforced collar.',
  },
];

/** Demo logins; in production their passwords are random and printed once (decision 016). */
export const DEMO_ACCOUNTS = [
  {
    username: 'admin',
    password: 'admin-demo-pass',
    role: 'admin' as const,
    email: 'admin@cartwise.example',
    firstName: 'Avery',
    lastName: 'Admin',
    phone: '+1 555 010 0000',
    country: 'United States',
    city: 'Portland',
  },
  {
    username: 'alice',
    password: 'alice-demo-pass',
    role: 'customer' as const,
    email: 'alice@cartwise.example',
    firstName: 'Alice',
    lastName: 'Anderson',
    phone: '+1 555 010 0001',
    country: 'United States',
    city: 'Seattle',
  },
  {
    username: 'bob',
    password: 'bob-demo-pass',
    role: 'customer' as const,
    email: 'bob@cartwise.example',
    firstName: 'Bob',
    lastName: 'Baker',
    phone: '+44 20 7946 0002',
    country: 'United Kingdom',
    city: 'London',
  },
];
