import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dialectOf } from '../src/server/db/database.ts';
import { issueSession, resolveSession } from '../src/server/modules/accounts/sessions.ts';
import { createProduct, createTestApp, createUser, TEST_JWT_SECRET, type TestApp } from './support/app.ts';
import type { AddressInfo } from 'node:net';
import { describeEachDialect } from './support/databases.ts';
import { connectAgent } from './support/mcp-client.ts';

/**
 * Property: whatever arrives at any endpoint of the OpenAPI document — bodies shaped like the
 * schema or not, odd query strings, ids, headers and cookies, as a guest, a customer or an admin —
 * the answer is never a 5xx, every 4xx is problem+json with a stable code, and a rejected request
 * leaves every table exactly as it was.
 */

const CASES = {
  sqlite: Number(process.env.FUZZ_CASES ?? 2_000),
  mysql: Number(process.env.FUZZ_CASES_MYSQL ?? 300),
};
/** MCP tool calls travel over real HTTP, so fewer of them. */
const MCP_CASES = {
  sqlite: Number(process.env.FUZZ_MCP_CASES ?? 200),
  mysql: Number(process.env.FUZZ_MCP_CASES_MYSQL ?? 80),
};

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
  $ref?: string;
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema }>;
  body?: JsonSchema;
}

const nasty = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '%',
  '_',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0000',
  '😀',
  'ﬀ',
  'a'.repeat(5_000),
  '9007199254740993',
  '__proto__',
  'constructor',
);
const weirdString = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 0.5),
);
const anyJson = fc.oneof(
  { maxDepth: 2 },
  weirdString,
  weirdNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(weirdString, weirdNumber), { maxLength: 3 }),
  fc.dictionary(weirdString, fc.oneof(weirdString, weirdNumber), { maxKeys: 3 }),
);

/** Values shaped by the schema most of the time, anything at all some of the time. */
function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: shaped(schema ?? {}, depth) }, { weight: 1, arbitrary: anyJson });
}

function shaped(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 4) return anyJson;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => shaped(s, depth + 1)));
  if (schema.allOf?.length) return shaped(Object.assign({}, ...schema.allOf), depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.oneof(fc.constantFrom(...schema.enum), weirdString);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum ?? -1000) + 1;
      const max = schema.maximum ?? (schema.exclusiveMaximum ?? min + 2000) - 1;
      return fc.oneof(
        fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(Math.max(max, min), 2 ** 31) }),
        fc.constantFrom(min - 1, max + 1),
        weirdNumber,
      );
    }
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), weirdNumber);
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 1, 0));
    case 'string': {
      if (schema.format === 'email') return fc.oneof(fc.emailAddress(), weirdString);
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, 200);
      return fc.oneof(
        fc.string({ minLength: Math.min(min, max), maxLength: max }),
        fc.stringMatching(/^[A-Za-z0-9_.-]{3,20}$/),
        weirdString,
      );
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(props)) record[name] = fromSchema(sub, depth + 1);
      return fc
        .tuple(
          fc.record(record, { requiredKeys: [...required].filter((k) => k in record) }),
          fc.dictionary(weirdString, anyJson, { maxKeys: 2 }),
          fc.boolean(),
        )
        .map(([known, extra, withExtra]) => (withExtra ? { ...extra, ...known } : known));
    }
    default:
      return anyJson;
  }
}

function operationsOf(doc: {
  paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = (op.parameters ?? []) as Array<{ in: string; name: string; schema?: JsonSchema }>;
      const body = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: body ? (Object.values(body)[0]?.schema ?? {}) : undefined,
      });
    }
  }
  return ops;
}

describeEachDialect('fuzzing every documented endpoint', (dialect) => {
  let t: TestApp;
  let ops: Operation[];
  const knownIds: Array<string | number> = [];
  let customer: Awaited<ReturnType<typeof createUser>>;
  let admin: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { MCP_RATE_LIMIT_PER_MINUTE: '1000000' });
    customer = await createUser(t.db);
    admin = await createUser(t.db, { role: 'admin' });
    for (let i = 0; i < 4; i++)
      knownIds.push(await createProduct(t.db, { stock: i * 3, categorySlug: `cat-${i % 2}` }));
    knownIds.push(customer.id, admin.id);
    ops = operationsOf((await t.app.inject('/openapi.json')).json());
  });
  afterAll(() => t.close());

  /** A fingerprint of every row of every application table (rate-limit counters aside). */
  async function snapshot(): Promise<Record<string, string>> {
    const tables =
      dialectOf(t.db) === 'mysql'
        ? await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = database()`.execute(
            t.db,
          )
        : await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(t.db);
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      // Counting every attempt, rejected ones included, is what a rate limit is for.
      if (name.startsWith('kysely_') || name === 'rate_limits') continue;
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.db);
      const lines = rows.rows
        .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))
        .sort();
      out[name] = `${lines.length}:${createHash('sha1').update(lines.join('\n')).digest('hex')}`;
    }
    return out;
  }

  /** Tokens stay valid across cases unless a case logged out or deleted the account; then renew. */
  async function freshToken(user: { id: number; token: string }, role: 'customer' | 'admin') {
    if (await resolveSession(t.db, TEST_JWT_SECRET, user.token)) return user.token;
    const exists = await t.db.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst();
    if (!exists) Object.assign(user, await createUser(t.db, { role }));
    user.token = (await issueSession(t.db, TEST_JWT_SECRET, user.id, 1)).token;
    return user.token;
  }

  it('never answers 5xx, and a rejected request changes nothing', async () => {
    expect(ops.length).toBeGreaterThan(3);
    const segment = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...knownIds).map(String) },
      { weight: 2, arbitrary: fc.nat({ max: 50 }).map(String) },
      { weight: 2, arbitrary: weirdString.map((s) => encodeURIComponent(s.slice(0, 300))) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('-1', '0', '1.5', '1e3', '0x10', '%2e%2e', 'NaN', '99999999999999999999'),
      },
    );
    const identity = fc.constantFrom('guest', 'customer', 'admin', 'customer-cookie', 'garbage', 'alg-none');
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=fuzz',
      'text/plain',
      'application/xml',
      '',
    );
    const caseArb = fc.record({
      opIndex: fc.nat({ max: ops.length - 1 }),
      segments: fc.array(segment, { minLength: 3, maxLength: 3 }),
      queryValues: fc.array(fc.oneof(weirdString, fc.nat({ max: 200 }).map(String)), {
        minLength: 8,
        maxLength: 8,
      }),
      queryShape: fc.array(fc.constantFrom('declared', 'schema', 'repeat', 'omit'), {
        minLength: 8,
        maxLength: 8,
      }),
      extraQuery: fc.dictionary(fc.constantFrom('x', 'page', '__proto__', 'q', 'sort'), weirdString, {
        maxKeys: 2,
      }),
      identity,
      contentType,
      bodyMode: fc.constantFrom('schema', 'schema', 'schema', 'json', 'raw', 'none'),
      rawBody: weirdString,
      anyBody: anyJson,
      guestCookie: fc.oneof(fc.constant(undefined), fc.uuid(), weirdString),
      idempotencyKey: fc.option(weirdString, { nil: undefined }),
      accept: fc.constantFrom(undefined, 'application/json', 'text/event-stream', 'text/html', '*/*'),
      bodySeed: fc.integer(),
    });

    let rejected = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const op = ops[c.opIndex];
        let url = op.path;
        op.pathParams.forEach((name, i) => {
          url = url.replace(`{${name}}`, c.segments[i % c.segments.length]);
        });
        const query = new URLSearchParams();
        op.query.forEach((param, i) => {
          const shape = c.queryShape[i % 8];
          const value = c.queryValues[i % 8];
          if (shape === 'omit') return;
          if (shape === 'schema' && param.schema.enum?.length) {
            query.append(
              param.name,
              String(param.schema.enum[Math.abs(c.bodySeed) % param.schema.enum.length]),
            );
          } else query.append(param.name, value);
          if (shape === 'repeat') query.append(param.name, value);
        });
        for (const [k, v] of Object.entries(c.extraQuery)) query.append(k, v);
        const qs = query.toString();

        const headers: Record<string, string> = {};
        const cookies: Record<string, string> = {};
        if (c.identity === 'customer')
          headers.authorization = `Bearer ${await freshToken(customer, 'customer')}`;
        if (c.identity === 'admin') headers.authorization = `Bearer ${await freshToken(admin, 'admin')}`;
        if (c.identity === 'customer-cookie')
          cookies.cartwise_session = await freshToken(customer, 'customer');
        if (c.identity === 'garbage') headers.authorization = `Bearer ${c.rawBody.slice(0, 200)}`;
        if (c.identity === 'alg-none')
          headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4Iiwic3ViIjoiMSJ9.';
        if (c.guestCookie !== undefined) cookies.cartwise_guest = c.guestCookie;
        if (c.idempotencyKey !== undefined) headers['idempotency-key'] = c.idempotencyKey.slice(0, 200);
        if (c.accept) headers.accept = c.accept;

        let payload: string | undefined;
        if (op.method !== 'GET' && c.bodyMode !== 'none') {
          if (c.contentType) headers['content-type'] = c.contentType;
          if (c.bodyMode === 'raw') payload = c.rawBody;
          else {
            const value =
              c.bodyMode === 'schema' && op.body
                ? fc.sample(fromSchema(op.body), { seed: c.bodySeed, numRuns: 1 })[0]
                : c.anyBody;
            payload = c.contentType.startsWith('application/x-www-form-urlencoded')
              ? new URLSearchParams(
                  Object.entries((value && typeof value === 'object' ? value : { value }) as object).map(
                    ([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)],
                  ),
                ).toString()
              : JSON.stringify(value);
          }
        }

        const before = await snapshot();
        const res = await t.app.inject({
          method: op.method as 'GET',
          url: qs ? `${url}?${qs}` : url,
          headers,
          cookies,
          payload,
        });
        const context = `${op.method} ${url}?${qs} as ${c.identity} body=${String(payload).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, context).toBeLessThan(500);
        if (res.statusCode >= 400) {
          rejected += 1;
          expect(res.headers['content-type'], context).toContain('application/problem+json');
          expect(res.json().code, context).toMatch(/^[a-z][a-z0-9_]*$/);
          expect(await snapshot(), context).toEqual(before);
        } else accepted += 1;
      }),
      { numRuns: CASES[dialect], endOnFailure: true },
    );
    console.log(
      `fuzz [${dialect}]: ${ops.length} operations, ${accepted} accepted and ${rejected} rejected requests`,
    );
    expect(accepted + rejected).toBe(CASES[dialect]);
  }, 170_000);

  it('MCP tools: any arguments get a result or a tool error, never an internal error; an error changes nothing', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const agents = {
      guest: await connectAgent(baseUrl),
      customer: await connectAgent(baseUrl, await freshToken(customer, 'customer')),
      garbage: await connectAgent(baseUrl, 'cw_pat_not-a-token'),
    };
    const { tools } = await agents.guest.client.listTools();
    expect(tools).toHaveLength(9);
    const caseArb = fc.record({
      tool: fc.nat({ max: tools.length - 1 }),
      who: fc.constantFrom('guest', 'customer', 'customer', 'garbage'),
      shaped: fc.boolean(),
      seed: fc.integer(),
      known: fc.constantFrom(...knownIds),
    });
    let results = 0;
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const tool = tools[c.tool];
        const schema = tool.inputSchema as JsonSchema;
        let args = c.shaped
          ? fc.sample(fromSchema(schema), { seed: c.seed, numRuns: 1 })[0]
          : fc.sample(anyJson, { seed: c.seed, numRuns: 1 })[0];
        // Known ids often enough to reach the services, not only validation.
        if (args && typeof args === 'object' && !Array.isArray(args) && c.seed % 2 === 0) {
          for (const key of ['productId', 'orderId'])
            if (key in args) (args as Record<string, unknown>)[key] = c.known;
        }
        if (!args || typeof args !== 'object' || Array.isArray(args)) args = { value: args };
        const before = await snapshot();
        const context = `${tool.name} as ${c.who} ${JSON.stringify(args).slice(0, 300)}`;
        let failed = false;
        try {
          const result = await agents[c.who as keyof typeof agents].call(
            tool.name,
            args as Record<string, unknown>,
          );
          failed = Boolean(result.isError);
          if (failed) {
            const text = JSON.stringify(result.content);
            // A tool error is a refusal with a reason (a code, or the SDK's validation message), never a crash.
            expect(text, context).not.toMatch(/internal error|stack|at .*\.ts:\d+/i);
          }
        } catch (error) {
          // A JSON-RPC "invalid params" for arguments the schema refuses, or the HTTP layer's 400 for a
          // body it will not parse (a `__proto__` key): a refusal, never a crash.
          failed = true;
          expect(['-32602', '400'], `${context}: ${String(error)}`).toContain(
            String((error as { code?: number }).code),
          );
        }
        if (failed) {
          errors += 1;
          expect(await snapshot(), context).toEqual(before);
        } else results += 1;
      }),
      { numRuns: MCP_CASES[dialect], endOnFailure: true },
    );
    for (const agent of Object.values(agents)) await agent.close();
    console.log(`fuzz MCP [${dialect}]: ${results} results and ${errors} tool errors`);
    expect(results + errors).toBe(MCP_CASES[dialect]);
  }, 170_000);
});
