import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8001),
  ML_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATA_DIR: z.string().default('./data'),
  /** Where uploaded product pictures live: DATA_DIR/uploads, or the database (several instances). */
  IMAGE_STORE: z.enum(['disk', 'database']).default('disk'),
  DATABASE_URL: z.string().optional(),
  /** Unset: true in development and test, false in production (an empty shop; decision 174). */
  DEMO_DATA: bool.optional(),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  ASSISTANT_PROMPT_LIMIT: z.coerce.number().int().min(1).default(5),
  ASSISTANT_DAILY_LIMIT_USER: z.coerce.number().int().min(1).default(50),
  ASSISTANT_DAILY_LIMIT_GUEST: z.coerce.number().int().min(1).default(20),
  ASSISTANT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Requests to /mcp per client address per minute. */
  MCP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  OPENAI_FALLBACK_API_KEY: z.string().min(1).optional(),
  OPENAI_FALLBACK_BASE_URL: z.string().url().optional(),
  OPENAI_FALLBACK_MODEL: z.string().optional(),
  ML_HORIZON_DAYS: z.coerce.number().int().min(7).max(730).default(90),
  ML_WORKER: bool.default(true),
  ML_RETRAIN_AFTER_ORDERS: z.coerce.number().int().min(1).default(50),
  ML_RETRAIN_EVERY_HOURS: z.coerce.number().min(0).default(24),
  /** How far the shop's in-memory product listing may lag behind the database; 0 reads it every time. */
  CATALOG_LISTING_MAX_AGE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** How long behaviour events wait to be written together; 0 writes each before answering. */
  EVENTS_FLUSH_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  /** Behaviour events (views, searches, chats) recorded per guest client address per minute. */
  GUEST_EVENTS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  CORS_ORIGIN: z.string().optional(),
  /** Hops of reverse proxies whose X-Forwarded-For is believed; 0 trusts none (direct clients). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** The shop's public origin (e.g. https://shop.example.com), for links made outside a request. */
  PUBLIC_URL: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Stripe Checkout takes card payments when set; otherwise orders are paid manually. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Another Stripe API endpoint (stripe-mock, a test double); Stripe's own by default. */
  STRIPE_API_URL: z.string().url().optional(),
  /** How long a Stripe Checkout page stays payable before the order is cancelled and restocked. */
  STRIPE_CHECKOUT_MINUTES: z.coerce.number().int().min(30).max(1440).default(60),
  /** Where order mails go, e.g. smtp://user:pass@host:587; without it they wait in the outbox. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Cartwise <orders@cartwise.localhost>'),
  /** First retry of a failed mail after this long, doubling up to an hour. */
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** How often the outbox is checked for retries besides the nudge after each commit. */
  MAIL_POLL_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** A second listener on 127.0.0.1 serving only /metrics, without a token (decision 174). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** json: one JSON object per line on stdout; pretty: pino-pretty for a terminal (development). */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

/** Every environment variable the configuration reads (.env.example and compose list them all). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = Omit<
  z.output<typeof envSchema>,
  'DATABASE_URL' | 'JWT_SECRET' | 'DEMO_DATA' | 'PUBLIC_URL'
> & {
  DEMO_DATA: boolean;
  DATABASE_URL: string;
  JWT_SECRET: string;
  PUBLIC_URL: string;
};

export class ConfigError extends Error {}

/** Reads the environment once; throws ConfigError with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.DATA_DIR);
  const databaseUrl = c.DATABASE_URL ?? `sqlite:${join(dataDir, 'cartwise.sqlite')}`;
  let jwtSecret = c.JWT_SECRET;
  if (!jwtSecret) {
    if (c.NODE_ENV === 'production') {
      throw new ConfigError('JWT_SECRET is required when NODE_ENV=production (at least 32 characters).');
    }
    jwtSecret = developmentSecret(dataDir);
  }
  if (c.STRIPE_SECRET_KEY && !c.STRIPE_WEBHOOK_SECRET) {
    // Without the webhook nothing would ever learn that an order was paid.
    throw new ConfigError(
      'STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY (the whsec_… of the endpoint).',
    );
  }
  const publicUrl = c.PUBLIC_URL ?? `http://localhost:${c.PORT}`;
  // Production starts with an empty shop unless demo data is asked for explicitly.
  const demoData = c.DEMO_DATA ?? c.NODE_ENV !== 'production';
  return {
    ...c,
    DEMO_DATA: demoData,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    PUBLIC_URL: publicUrl,
  };
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

// Development keeps one random secret per data folder so sessions survive restarts.
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
