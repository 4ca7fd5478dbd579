import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { seedDemoCatalog } from '../src/server/db/seed/seed.ts';
import { ask, openChat, shop } from './support/assistant-catalog.ts';
import { describeEachDialect } from './support/databases.ts';

/**
 * The offline engine against a question set over the demo catalog: each question lists the facts the
 * answer must contain, computed here from the database rows (not from the engine). At least 95%
 * must be answered correctly; the score is printed.
 */

interface Row {
  id: number;
  name: string;
  priceCents: number;
  stock: number;
  category: string;
  slug: string;
}

interface Question {
  ask: string;
  facts: string[];
  /** Facts the answer must not contain. */
  absent?: string[];
  as?: 'guest' | 'shopper';
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const price = (cents: number) => usd.format(cents / 100);
const stockFact = (p: Row) => (p.stock > 0 ? String(p.stock) : 'out of stock');

/** A typo a shopper might make: two letters of the longest word swapped. */
function typo(name: string): string {
  const words = name.split(' ');
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const i = Math.floor(longest.length / 2);
  const swapped = longest.slice(0, i - 1) + longest[i] + longest[i - 1] + longest.slice(i + 1);
  return name.replace(longest, swapped).toLowerCase();
}

function plural(name: string): string {
  const last = name.split(' ').pop()!.toLowerCase();
  return last.endsWith('s') ? last : last.endsWith('h') ? `${last}es` : `${last}s`;
}

function buildQuestions(products: Row[], categories: string[], shopper: ShopperFacts): Question[] {
  const byPrice = [...products].sort((a, b) => a.priceCents - b.priceCents);
  const inStock = products.filter((p) => p.stock > 0);
  const outOfStock = products.filter((p) => p.stock === 0);
  const pick = (i: number) => products[(i * 7) % products.length];
  const q: Question[] = [];

  for (const p of [...inStock.slice(0, 4), ...outOfStock.slice(0, 3)]) {
    q.push({ ask: `Is the ${p.name} in stock?`, facts: [p.name, stockFact(p)] });
  }
  for (const p of [inStock[5], outOfStock[3] ?? outOfStock[0], inStock[8]]) {
    q.push({ ask: `How many ${p.name} do you have left?`, facts: [p.name, stockFact(p)] });
  }
  for (const i of [1, 2, 3, 4]) {
    const p = pick(i);
    q.push({ ask: `How much does the ${p.name} cost?`, facts: [p.name, price(p.priceCents)] });
  }
  for (const i of [5, 6, 9]) {
    const p = pick(i);
    q.push({ ask: `what's the price of the ${typo(p.name)}`, facts: [p.name, price(p.priceCents)] });
  }
  for (const p of [pick(10), pick(11)]) {
    const word = plural(p.name);
    const matching = products.filter((o) => o.name.toLowerCase().includes(word.replace(/e?s$/, '')));
    q.push({ ask: `do you have any ${word}?`, facts: matching.map((m) => m.name) });
  }
  q.push({ ask: 'What is the cheapest product?', facts: [byPrice[0].name, price(byPrice[0].priceCents)] });
  const top = byPrice[byPrice.length - 1];
  q.push({ ask: "What's the most expensive item you sell?", facts: [top.name, price(top.priceCents)] });
  for (const category of categories) {
    const inCategory = byPrice.filter((p) => p.category === category);
    q.push({
      ask: `What is the cheapest thing in ${category}?`,
      facts: [inCategory[0].name, price(inCategory[0].priceCents)],
    });
  }
  for (const category of categories.slice(0, 2)) {
    const inCategory = byPrice.filter((p) => p.category === category);
    const dear = inCategory[inCategory.length - 1];
    q.push({ ask: `most expensive ${category.toLowerCase()}?`, facts: [dear.name, price(dear.priceCents)] });
  }
  const under = byPrice.filter((p) => p.priceCents <= 3000);
  q.push({
    ask: 'Show me products under $30',
    facts: under.slice(0, 3).map((p) => p.name),
    absent: byPrice.filter((p) => p.priceCents > 3000).map((p) => p.name),
  });
  const [cat] = categories;
  const between = byPrice.filter((p) => p.category === cat && p.priceCents >= 2000 && p.priceCents <= 15000);
  q.push({ ask: `${cat} between $20 and $150`, facts: between.slice(0, 3).map((p) => p.name) });
  q.push({ ask: 'What categories do you have?', facts: categories });
  q.push({ ask: 'Which products are out of stock?', facts: outOfStock.map((p) => p.name) });
  const second = categories[1];
  q.push({
    ask: `show me ${second.toLowerCase()}`,
    facts: products
      .filter((p) => p.category === second)
      .slice(0, 3)
      .map((p) => p.name),
  });
  for (const [a, b] of [
    [pick(3), pick(4)],
    [pick(12), pick(13)],
  ]) {
    q.push({
      ask: `Compare the ${a.name} and the ${b.name}`,
      facts: [a.name, b.name, price(a.priceCents), price(b.priceCents)],
    });
  }

  const third = categories[2];
  q.push({
    ask: `what's in stock in ${third}?`,
    facts: inStock
      .filter((p) => p.category === third)
      .slice(0, 3)
      .map((p) => p.name),
    absent: outOfStock.filter((p) => p.category === third).map((p) => p.name),
  });
  const fourth = categories[3];
  const cheapFourth = byPrice.filter((p) => p.category === fourth);
  const limit = cheapFourth[Math.min(2, cheapFourth.length - 1)].priceCents;
  q.push({
    ask: `I'm looking for ${fourth.toLowerCase()} under $${Math.ceil(limit / 100)}`,
    facts: cheapFourth.filter((p) => p.priceCents <= Math.ceil(limit / 100) * 100).map((p) => p.name),
    absent: byPrice.filter((p) => p.category !== fourth).map((p) => p.name),
  });
  const longest = [...categories].sort((a, b) => b.length - a.length)[0];
  const misspelt = longest.toLowerCase().replace(/(\w)(\w)(\w*)$/, '$1$3'); // drops one letter
  q.push({
    ask: `show me ${misspelt}`,
    facts: products
      .filter((p) => p.category === longest)
      .slice(0, 3)
      .map((p) => p.name),
  });
  const bare = pick(14);
  q.push({ ask: `${bare.name.toLowerCase()}?`, facts: [bare.name, price(bare.priceCents), stockFact(bare)] });
  const partial = pick(15);
  const tail = partial.name.split(' ').slice(-2).join(' ');
  const sameTail = products.filter((p) => p.name.endsWith(tail));
  q.push({ ask: `tell me about the ${tail.toLowerCase()}`, facts: sameTail.map((p) => p.name) });
  const avail = pick(16);
  q.push({ ask: `is ${avail.name} available right now`, facts: [avail.name, stockFact(avail)] });

  q.push({ ask: 'What is your return policy?', facts: ['30 days'] });
  q.push({ ask: 'How long does shipping take?', facts: ['3–5 business days'] });
  q.push({ ask: 'Which payment methods do you accept?', facts: ['PayPal'] });
  q.push({ ask: 'How can I contact customer support?', facts: ['support@cartwise.example'] });
  q.push({ ask: 'Do you sell my personal data?', facts: ['never sell'] });
  q.push({ ask: 'Hi!', facts: ['Cartwise'] });
  q.push({ ask: 'How do I track my parcel?', facts: ['tracking number'] });
  q.push({ ask: 'When will I be charged?', facts: ['nothing is charged at checkout'] });
  q.push({ ask: 'is there a warranty if it breaks?', facts: ['manufacturer warranty'] });
  const dearest = [...byPrice]
    .reverse()
    .find((p) => byPrice.some((o) => o.category === p.category && o.priceCents < p.priceCents))!;
  const cheaperSiblings = byPrice.filter(
    (p) => p.category === dearest.category && p.priceCents < dearest.priceCents,
  );
  q.push({
    ask: `anything cheaper than the ${dearest.name}?`,
    facts: [price(dearest.priceCents), ...cheaperSiblings.slice(-3).map((p) => p.name)],
  });

  q.push({
    ask: "What's in my cart?",
    facts: [...shopper.cart.map((l) => l.name), price(shopper.cartTotal)],
    as: 'shopper',
  });
  q.push({ ask: 'Show me my orders', facts: shopper.orders.map((o) => price(o.totalCents)), as: 'shopper' });
  q.push({ ask: 'what did I buy last time?', facts: shopper.lastOrderNames, as: 'shopper' });
  q.push({ ask: 'What are my favorites?', facts: shopper.favorites, as: 'shopper' });
  q.push({ ask: "What's in my cart?", facts: ['sign in'], as: 'guest' });
  q.push({ ask: 'Show me my orders', facts: ['sign in'], as: 'guest' });
  const addable = inStock[inStock.length - 1];
  q.push({
    ask: `Please add 2 ${addable.name} to my cart`,
    facts: ['Added 2', addable.name],
    as: 'shopper',
  });
  q.push({
    ask: `add a ${outOfStock[0].name.toLowerCase()} to my basket`,
    facts: ['out of stock'],
    as: 'shopper',
  });
  return q;
}

interface ShopperFacts {
  cart: { name: string }[];
  cartTotal: number;
  orders: { totalCents: number }[];
  lastOrderNames: string[];
  favorites: string[];
}

async function readCatalog(t: TestApp): Promise<Row[]> {
  const rows = await t.db
    .selectFrom('products')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .select([
      'products.id',
      'products.name',
      'products.price_cents',
      'products.stock',
      'categories.name as category',
      'categories.slug',
    ])
    .orderBy('products.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    priceCents: Number(r.price_cents),
    stock: Number(r.stock),
    category: r.category,
    slug: r.slug,
  }));
}

describeEachDialect('assistant question set (local engine)', (dialect) => {
  let t: TestApp;
  let products: Row[];
  let categories: string[];
  let shopperHeaders: Record<string, string>;
  let shopper: ShopperFacts;

  beforeAll(async () => {
    t = await createTestApp(dialect, {
      ASSISTANT_PROMPT_LIMIT: '1000',
      ASSISTANT_DAILY_LIMIT_USER: '1000',
      ASSISTANT_DAILY_LIMIT_GUEST: '1000',
      ASSISTANT_RATE_LIMIT_PER_MINUTE: '100000',
    });
    const seeded = await seedDemoCatalog(t.db, { DEMO_DATA: true, NODE_ENV: 'test' });
    expect(seeded.seeded).toBe(true);
    products = await readCatalog(t);

    const user = await createUser(t.db);
    shopperHeaders = user.headers;
    const inStock = products.filter((p) => p.stock > 2);
    const first = await shop(t.app, user.headers, [{ productId: inStock[0].id, quantity: 1 }], '1 Main St');
    const last = await shop(
      t.app,
      user.headers,
      [
        { productId: inStock[1].id, quantity: 2 },
        { productId: inStock[2].id, quantity: 1 },
      ],
      '1 Main St',
    );
    await shop(t.app, user.headers, [{ productId: inStock[3].id, quantity: 2 }]);
    for (const p of [products[4], products[1]]) {
      await t.app.inject({ method: 'PUT', url: `/api/favorites/${p.id}`, headers: user.headers });
    }
    // Checkouts changed stock: the facts are read after them.
    products = await readCatalog(t);
    categories = [...new Set(products.map((p) => p.category))];
    shopper = {
      cart: [{ name: inStock[3].name }],
      cartTotal: inStock[3].priceCents * 2,
      orders: [first!, last!],
      lastOrderNames: [inStock[1].name, inStock[2].name],
      favorites: [products[4].name, products[1].name],
    };
  });
  afterAll(() => t.close());

  it('answers at least 95% of the question set correctly', async () => {
    const questions = buildQuestions(products, categories, shopper);
    expect(questions.length).toBeGreaterThanOrEqual(40);
    const shopperChat = await openChat(t.app, shopperHeaders);
    const guestChat = await openChat(t.app);
    const failures: string[] = [];
    for (const question of questions) {
      const chat = question.as === 'shopper' ? shopperChat : guestChat;
      const res = await ask(t.app, chat, question.ask);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.engine).toBe('local');
      const content = String(body.reply.content).toLowerCase();
      const missing = question.facts.filter((f) => !content.includes(f.toLowerCase()));
      const wrong = (question.absent ?? []).filter((f) => content.includes(f.toLowerCase()));
      if (missing.length || wrong.length) {
        failures.push(
          `  ✗ ${question.ask}\n    missing: ${JSON.stringify(missing)} wrong: ${JSON.stringify(wrong)}\n    got: ${body.reply.content.replace(/\n/g, ' | ')}`,
        );
      }
    }
    const correct = questions.length - failures.length;
    const score = correct / questions.length;
    console.log(
      `\nAssistant question set [${dialect}]: ${correct}/${questions.length} correct (${(score * 100).toFixed(1)}%)\n${failures.join('\n')}`,
    );
    expect(score).toBeGreaterThanOrEqual(0.95);
  });
});
