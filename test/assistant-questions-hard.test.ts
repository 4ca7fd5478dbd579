import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoCatalog } from '../src/server/db/seed/seed.ts';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { ask, type Chat, openChat, shop } from './support/assistant-catalog.ts';
import { describeEachDialect } from './support/databases.ts';

/**
 * The harder question set: counts, cart actions with exact quantities, follow-ups inside one
 * session, the caller's own orders and intent over keywords (category intent from product texts,
 * price bounds, in-stock intent, honest refusals, sign-in links). Every question and every expected
 * fact is generated from the live catalog rows, so the set holds for any shop; cart actions are
 * checked through the REST API afterwards. At least 95% must be answered correctly; every miss is
 * printed.
 */

interface Row {
  id: number;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
  category: string;
}

type Who = 'guest' | 'shopper' | 'buyer' | 'newcomer';

interface Step {
  /** Chats are named; steps of one chat run in order inside one session (follow-ups). */
  chat: `${Who}${string}`;
  ask: string;
  facts: string[] | (() => Promise<string[]>);
  absent?: string[];
  /** A REST check after the reply; returns what is wrong, or null. */
  verify?: () => Promise<string | null>;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const price = (cents: number) => usd.format(cents / 100);
const stockFact = (p: Row) => (p.stock > 0 ? String(p.stock) : 'out of stock');
/** Phrases no reply may contain: leftovers of templates. */
const NEVER = ['in matching products', 'in the catalog priced', 'undefined', 'NaN', '[object'];

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** A word that only the descriptions of one category's products use (two of them at least). */
function distinctiveWord(products: Row[], category: string): string | null {
  const names = new Set(products.flatMap((p) => wordsOf(p.name)));
  const categoryWords = new Set(wordsOf(category));
  const uses = new Map<string, Set<string>>();
  const inCategory = new Map<string, number>();
  for (const p of products) {
    for (const w of new Set(wordsOf(p.description))) {
      if (w.length < 6) continue;
      uses.set(w, (uses.get(w) ?? new Set()).add(p.category));
      if (p.category === category) inCategory.set(w, (inCategory.get(w) ?? 0) + 1);
    }
  }
  const candidates = [...inCategory]
    .filter(([w, n]) => n >= 2 && uses.get(w)?.size === 1 && !names.has(w) && !categoryWords.has(w))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return candidates[0]?.[0] ?? null;
}

interface CartLine {
  productId: number;
  name: string;
  quantity: number;
}

export function buildHardQuestions(
  products: Row[],
  shopper: { orders: { number: string; totalCents: number; names: string[] }[] },
  rest: {
    cart: (who: Who) => Promise<{ lines: CartLine[]; totalCents: number } | null>;
  },
): Step[] {
  const steps: Step[] = [];
  const categories = [...new Set(products.map((p) => p.category))];
  const byPrice = [...products].sort((a, b) => a.priceCents - b.priceCents || a.name.localeCompare(b.name));
  const inCat = (c: string) => byPrice.filter((p) => p.category === c);
  const inStock = products.filter((p) => p.stock > 0);
  const outOfStock = products.filter((p) => p.stock === 0);
  const others = (c: string) => products.filter((p) => p.category !== c).map((p) => p.name);
  const dollars = (cents: number) => Math.ceil(cents / 100);

  // Counts.
  for (const c of categories) {
    steps.push({
      chat: 'guest-counts',
      ask: `How many ${c.toLowerCase()} products do you carry?`,
      facts: [String(inCat(c).length), c],
    });
  }
  steps.push({
    chat: 'guest-counts',
    ask: 'How many things are out of stock?',
    facts: [String(outOfStock.length)],
  });
  steps.push({
    chat: 'guest-counts',
    ask: 'how many products do you sell in total?',
    facts: [String(products.length)],
  });
  steps.push({
    chat: 'guest-counts',
    ask: 'How many products are in stock right now?',
    facts: [String(inStock.length)],
  });
  for (const c of categories.slice(0, 2)) {
    steps.push({
      chat: 'guest-counts',
      ask: `how many ${c.toLowerCase()} items are in stock?`,
      facts: [String(inCat(c).filter((p) => p.stock > 0).length)],
    });
  }
  steps.push({
    chat: 'guest-counts',
    ask: 'how many categories do you have?',
    facts: [String(categories.length)],
  });
  steps.push({
    chat: 'guest-counts',
    ask: `what's the number of products in ${categories[2]}?`,
    facts: [String(inCat(categories[2]).length)],
  });

  // Price bounds.
  for (const c of categories) {
    const list = inCat(c);
    const limit = dollars(list[Math.floor((list.length - 1) / 2)].priceCents);
    const within = list.filter((p) => p.priceCents <= limit * 100);
    steps.push({
      chat: 'guest-prices',
      ask: `${c.toLowerCase()} under $${limit}`,
      facts: within.slice(0, 3).map((p) => p.name),
      absent: [...list.filter((p) => p.priceCents > limit * 100).map((p) => p.name), ...others(c)],
    });
  }
  const low = dollars(byPrice[Math.floor(byPrice.length / 4)].priceCents);
  const high = dollars(byPrice[Math.floor(byPrice.length / 2)].priceCents);
  const between = byPrice.filter((p) => p.priceCents >= low * 100 && p.priceCents <= high * 100);
  steps.push({
    chat: 'guest-prices',
    ask: `anything between $${low} and $${high}?`,
    facts: between.slice(0, 3).map((p) => p.name),
    absent: byPrice.filter((p) => p.priceCents < low * 100 || p.priceCents > high * 100).map((p) => p.name),
  });
  const dear = inCat(categories[0]);
  const floor = Math.floor(dear[Math.floor(dear.length / 2)].priceCents / 100);
  steps.push({
    chat: 'guest-prices',
    ask: `show me ${categories[0].toLowerCase()} over $${floor}`,
    facts: dear.filter((p) => p.priceCents >= floor * 100).map((p) => p.name),
    absent: dear.filter((p) => p.priceCents < floor * 100).map((p) => p.name),
  });
  for (const c of categories.slice(1, 3)) {
    const list = inCat(c);
    const top = list[list.length - 1];
    const cheaper = list.filter((p) => p.priceCents < top.priceCents);
    steps.push({
      chat: 'guest-prices',
      ask: `is there anything cheaper than the ${top.name}?`,
      facts: [price(top.priceCents), ...cheaper.slice(-2).map((p) => p.name)],
    });
  }

  // Category intent from the words of the products' descriptions, with a price bound.
  for (const c of categories) {
    const word = distinctiveWord(products, c);
    if (!word) continue;
    const list = inCat(c);
    const limit = dollars(list[Math.min(1, list.length - 1)].priceCents);
    steps.push({
      chat: 'guest-intent',
      ask: `gift ideas for someone who loves ${word} under $${limit}`,
      facts: [list[0].name],
      absent: byPrice.filter((p) => p.category !== c && p.priceCents <= limit * 100).map((p) => p.name),
    });
  }

  // In-stock intent.
  for (const p of [outOfStock[0], inStock[3], inStock[7]].filter(Boolean)) {
    steps.push({
      chat: 'guest-intent',
      ask: `can I buy the ${p.name} right now?`,
      facts: [p.name, stockFact(p)],
    });
  }
  for (const c of categories.filter((c) => inCat(c).some((p) => p.stock === 0)).slice(0, 2)) {
    const list = inCat(c);
    steps.push({
      chat: 'guest-intent',
      ask: `what ${c.toLowerCase()} can I buy right now?`,
      facts: list
        .filter((p) => p.stock > 0)
        .slice(0, 2)
        .map((p) => p.name),
      absent: list.filter((p) => p.stock === 0).map((p) => p.name),
    });
  }
  {
    const c = categories[categories.length - 1];
    const list = inCat(c);
    const limit = dollars(list[list.length - 1].priceCents);
    steps.push({
      chat: 'guest-intent',
      ask: `which ${c.toLowerCase()} are available under $${limit}?`,
      facts: list
        .filter((p) => p.stock > 0)
        .slice(0, 2)
        .map((p) => p.name),
      absent: list.filter((p) => p.stock === 0).map((p) => p.name),
    });
  }

  const cheapestNow = byPrice.find((p) => p.stock > 0)!;
  steps.push({
    chat: 'guest-intent',
    ask: "what's the cheapest thing I can buy right now?",
    facts: [cheapestNow.name, price(cheapestNow.priceCents)],
    absent: byPrice.filter((p) => p.stock === 0 && p.priceCents <= cheapestNow.priceCents).map((p) => p.name),
  });

  // What the shop does not do: an honest "I can't", not a catalog listing.
  const allNames = products.map((p) => p.name);
  for (const q of [
    'give me a discount code',
    'do you have any coupons?',
    'can I pay with a gift card?',
    'can you price match a cheaper offer?',
    'do you offer gift wrapping?',
  ]) {
    steps.push({ chat: 'guest-refusals', ask: q, facts: ["can't"], absent: allNames });
  }
  steps.push({ chat: 'shopper-refusals', ask: 'please cancel my order', facts: ["can't", '/orders'] });

  // Guests asked to sign in, with a link.
  for (const q of [
    `add the ${inStock[0].name} to my cart`,
    'what did I order last time?',
    "what's in my cart?",
  ]) {
    steps.push({ chat: 'guest-signin', ask: q, facts: ['sign in', '](/login)'] });
  }

  // Follow-ups inside one session: what the previous reply showed.
  for (const c of categories.slice(0, 3)) {
    const list = inCat(c);
    const cheapest = list[0];
    const chat = `guest-follow-${c}` as const;
    steps.push({ chat, ask: `show me ${c.toLowerCase()}`, facts: list.slice(0, 2).map((p) => p.name) });
    steps.push({
      chat,
      ask: 'which one of these is the least expensive?',
      facts: [cheapest.name, price(cheapest.priceCents)],
      absent: others(c),
    });
    steps.push({ chat, ask: 'is it still available?', facts: [cheapest.name, stockFact(cheapest)] });
  }
  for (const p of [products[5], products[11]]) {
    const chat = `guest-about-${p.id}` as const;
    steps.push({ chat, ask: `tell me about the ${p.name}`, facts: [p.name] });
    steps.push({ chat, ask: 'how much is it?', facts: [p.name, price(p.priceCents)] });
    steps.push({ chat, ask: 'is it in stock?', facts: [p.name, stockFact(p)] });
  }
  {
    const c = categories[3];
    const list = inCat(c);
    const limit = dollars(list[list.length - 2].priceCents);
    const within = list.filter((p) => p.priceCents <= limit * 100);
    const chat = 'guest-range-follow';
    steps.push({
      chat,
      ask: `${c.toLowerCase()} under $${limit}`,
      facts: within.slice(0, 2).map((p) => p.name),
    });
    const top = within[within.length - 1];
    steps.push({
      chat,
      ask: 'which of these is the most expensive?',
      facts: [top.name, price(top.priceCents)],
      absent: list.filter((p) => p.priceCents > limit * 100).map((p) => p.name),
    });
  }

  // Cart actions with exact quantities, checked through the REST API after each reply.
  const roomy = inStock.filter((p) => p.stock >= 5);
  const [a, b, c2, d, e] = [roomy[0], roomy[1], roomy[2], roomy[3], roomy[4]];
  const scarce = inStock.find((p) => p.stock <= 4) ?? roomy[5];
  const gone = outOfStock[0];
  const expectCart = (want: Record<number, number>) => async () => {
    const cart = await rest.cart('buyer');
    const have: Record<number, number> = {};
    for (const l of cart?.lines ?? []) have[l.productId] = l.quantity;
    const ok = JSON.stringify(Object.entries(have).sort()) === JSON.stringify(Object.entries(want).sort());
    return ok ? null : `cart is ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`;
  };
  /** The reply states the cart as the REST API shows it afterwards. */
  const cartFacts = async () => {
    const cart = await rest.cart('buyer');
    if (!cart) return ['cart is now empty'];
    return [...cart.lines.map((l) => `${l.quantity} × ${l.name}`), price(cart.totalCents)];
  };
  const buy: Step[] = [
    {
      chat: 'buyer',
      ask: `add two ${a.name} to my cart`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 2 }),
    },
    {
      chat: 'buyer',
      ask: `please put 3 of the ${b.name} in my basket`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 2, [b.id]: 3 }),
    },
    {
      chat: 'buyer',
      ask: `change the ${a.name} to 1`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1, [b.id]: 3 }),
    },
    {
      chat: 'buyer',
      ask: `remove the ${b.name} from my cart`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1 }),
    },
    {
      chat: 'buyer',
      ask: `add the ${gone.name} to my cart`,
      facts: ['out of stock'],
      verify: expectCart({ [a.id]: 1 }),
    },
    {
      chat: 'buyer',
      ask: `add ${scarce.stock + 1} ${scarce.name} to my cart`,
      facts: ['only', String(scarce.stock)],
      verify: expectCart({ [a.id]: 1 }),
    },
    {
      chat: 'buyer',
      ask: `set the quantity of ${c2.name} to 2`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1, [c2.id]: 2 }),
    },
    { chat: 'buyer', ask: `tell me about the ${d.name}`, facts: [d.name, price(d.priceCents)] },
    {
      chat: 'buyer',
      ask: 'add it to my cart',
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1, [c2.id]: 2, [d.id]: 1 }),
    },
    {
      chat: 'buyer',
      ask: `add one more ${d.name}`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1, [c2.id]: 2, [d.id]: 2 }),
    },
    {
      chat: 'buyer',
      ask: `take the ${d.name} out of my cart`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1, [c2.id]: 2 }),
    },
    {
      chat: 'buyer',
      ask: `add a couple of ${e.name} to my cart`,
      facts: cartFacts,
      verify: expectCart({ [a.id]: 1, [c2.id]: 2, [e.id]: 2 }),
    },
    { chat: 'buyer', ask: "what's in my cart?", facts: cartFacts },
    { chat: 'buyer', ask: 'what does that come to?', facts: async () => (await cartFacts()).slice(-1) },
    { chat: 'buyer', ask: 'empty my cart', facts: ['empty'], verify: expectCart({}) },
  ];
  steps.push(...buy);

  // The caller's own orders.
  const [latest, ...older] = shopper.orders;
  const first = older.at(-1) ?? latest;
  steps.push({ chat: 'shopper-orders', ask: 'what was in my previous order?', facts: latest.names });
  steps.push({ chat: 'shopper-orders', ask: 'what did that come to?', facts: [price(latest.totalCents)] });
  steps.push({
    chat: 'shopper-orders2',
    ask: 'how much did my last order cost?',
    facts: [price(latest.totalCents)],
  });
  steps.push({
    chat: 'shopper-orders2',
    ask: 'do I have any orders?',
    facts: shopper.orders.map((o) => price(o.totalCents)),
  });
  steps.push({
    chat: 'shopper-orders2',
    ask: 'how many orders have I placed?',
    facts: [`${shopper.orders.length} order`],
  });
  steps.push({ chat: 'shopper-orders2', ask: 'what did I buy in my first order?', facts: first.names });
  steps.push({
    chat: 'shopper-orders2',
    // The public number the shopper sees in their order history, typed in lower case.
    ask: `show me order #${first.number.toLowerCase()}`,
    facts: [...first.names, price(first.totalCents)],
  });
  steps.push({ chat: 'newcomer', ask: 'do I have any orders?', facts: ['no placed orders'] });
  steps.push({ chat: 'newcomer', ask: 'what was in my last order?', facts: ['no placed orders'] });
  steps.push({ chat: 'newcomer', ask: "what's in my cart?", facts: ['empty'] });
  return steps;
}

async function readCatalog(t: TestApp): Promise<Row[]> {
  const rows = await t.db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .select([
      'products.id',
      'products.name',
      'products.description',
      'products.price_cents',
      'products.stock',
      'categories.name as category',
    ])
    .where('products.archived', '=', 0)
    .orderBy('products.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    description: r.description,
    priceCents: Number(r.price_cents),
    stock: Number(r.stock),
    category: r.category,
  }));
}

describeEachDialect('assistant harder question set (local engine)', (dialect) => {
  let t: TestApp;
  let products: Row[];
  const headers: Partial<Record<Who, Record<string, string>>> = {};
  const orders: { number: string; totalCents: number; names: string[] }[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect, {
      ASSISTANT_PROMPT_LIMIT: '1000',
      ASSISTANT_DAILY_LIMIT_USER: '1000',
      ASSISTANT_DAILY_LIMIT_GUEST: '1000',
      ASSISTANT_RATE_LIMIT_PER_MINUTE: '100000',
    });
    await seedDemoCatalog(t.db, { DEMO_DATA: true, NODE_ENV: 'test' });
    products = await readCatalog(t);
    for (const who of ['shopper', 'buyer', 'newcomer'] as const)
      headers[who] = (await createUser(t.db)).headers;
    const stocked = products.filter((p) => p.stock > 3);
    // Two orders, the latest last: [oldest, latest] → kept newest first.
    for (const lines of [[stocked[6]], [stocked[7], stocked[8]]]) {
      const order = await shop(
        t.app,
        headers.shopper!,
        lines.map((p) => ({ productId: p.id, quantity: 1 })),
        '1 Main St',
      );
      orders.unshift({
        number: order!.number,
        totalCents: order!.totalCents,
        names: lines.map((p) => p.name),
      });
    }
    products = await readCatalog(t);
  });
  afterAll(() => t.close());

  it('answers at least 95% of the harder question set, cart actions included', async () => {
    const cart = async (who: Who) => {
      const res = await t.app.inject({ url: '/api/cart', headers: headers[who] });
      return res.json().order as { lines: CartLine[]; totalCents: number } | null;
    };
    const steps = buildHardQuestions(products, { orders }, { cart });
    expect(steps.length).toBeGreaterThanOrEqual(80);
    const chats = new Map<string, Chat>();
    const misses: string[] = [];
    for (const step of steps) {
      const who = step.chat.split('-')[0] as Who;
      let chat = chats.get(step.chat);
      if (!chat) {
        chat = await openChat(t.app, who === 'guest' ? {} : headers[who]);
        chats.set(step.chat, chat);
      }
      const res = await ask(t.app, chat, step.ask);
      expect(res.statusCode).toBe(200);
      expect(res.json().engine).toBe('local');
      const content = String(res.json().reply.content);
      const lower = content.toLowerCase();
      const facts = typeof step.facts === 'function' ? await step.facts() : step.facts;
      const missing = facts.filter((f) => !lower.includes(f.toLowerCase()));
      const wrong = [...(step.absent ?? []), ...NEVER].filter((f) => lower.includes(f.toLowerCase()));
      const rest = step.verify ? await step.verify() : null;
      if (missing.length || wrong.length || rest) {
        misses.push(
          `  ✗ [${step.chat}] ${step.ask}\n    missing: ${JSON.stringify(missing)} wrong: ${JSON.stringify(wrong)}${rest ? ` REST: ${rest}` : ''}\n    got: ${content.replace(/\n/g, ' | ')}`,
        );
      }
    }
    const correct = steps.length - misses.length;
    const score = correct / steps.length;
    console.log(
      `\nAssistant harder question set [${dialect}]: ${correct}/${steps.length} correct (${(score * 100).toFixed(1)}%)\n${misses.join('\n')}`,
    );
    expect(score).toBeGreaterThanOrEqual(0.95);
  });
});
