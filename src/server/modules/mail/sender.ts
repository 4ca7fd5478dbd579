import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../db/database.ts';
import { leaseMail, markFailed, markSent, selectDueMails } from './outbox.ts';

export interface MailSettings {
  /** e.g. smtp://user:pass@host:587; without it mails wait in the outbox. */
  smtpUrl: string | undefined;
  from: string;
  /** First retry after this long, doubling up to an hour. */
  retryBaseMs: number;
  /** How often the outbox is looked at besides the nudges after commits. */
  pollMs: number;
}

const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 3_600_000;
const BATCH = 20;

/** The delay before attempt `attempts + 1`, given `attempts` failures so far (at least 1). */
export function retryDelayMs(baseMs: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Delivers the outbox through nodemailer. Services `nudge()` it after their commit; a timer picks
 * up retries and whatever another instance wrote. A failed send is retried with backoff, forever:
 * an SMTP outage delays mails and loses none, and never fails the request that wrote them.
 */
export class MailSender {
  readonly delivering: boolean;
  readonly #db: Db;
  readonly #log: FastifyBaseLogger;
  readonly #settings: MailSettings;
  readonly #transport: Transporter | null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(db: Db, log: FastifyBaseLogger, settings: MailSettings) {
    this.#db = db;
    this.#log = log;
    this.#settings = settings;
    this.#transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : null;
    this.delivering = this.#transport !== null;
  }

  start(): void {
    if (!this.#transport || this.#timer) return;
    this.#timer = setInterval(() => this.nudge(), this.#settings.pollMs);
    this.#timer.unref();
    this.nudge();
  }

  /** Looks at the outbox soon; called after a transaction that wrote mails committed. */
  nudge(): void {
    if (!this.#transport || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((error) => this.#log.error({ err: error }, 'mail outbox pass failed'))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.nudge();
        }
      });
  }

  /** Resolves when the pass under way (if any) is over; for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.idle();
    this.#transport?.close();
  }

  async #drain(): Promise<void> {
    const transport = this.#transport;
    if (!transport) return;
    for (;;) {
      const due = await selectDueMails(this.#db, Date.now(), BATCH);
      let sent = 0;
      for (const mail of due) {
        if (this.#stopped) return;
        if (!(await leaseMail(this.#db, mail.id, Date.now(), LEASE_MS))) continue;
        try {
          await transport.sendMail({
            from: this.#settings.from,
            to: mail.to,
            subject: mail.subject,
            text: mail.body,
          });
          await markSent(this.#db, mail.id, Date.now());
          sent++;
        } catch (error) {
          const failures = mail.attempts + 1;
          const retryAt = Date.now() + retryDelayMs(this.#settings.retryBaseMs, failures);
          await markFailed(this.#db, mail.id, (error as Error).message ?? String(error), retryAt);
          this.#log.warn({ mailId: mail.id, failures, err: error }, 'mail not sent; will retry');
          // The server is likely down: leave the rest for the next pass instead of failing each.
          return;
        }
      }
      if (due.length < BATCH || sent === 0) return;
    }
  }
}
