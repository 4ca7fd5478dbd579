import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { DomainEventBus } from './domain-events.ts';
import type { ShopListing } from './modules/catalog/shop-listing.ts';
import type { BehaviourLog } from './modules/events/service.ts';
import type { MailSender } from './modules/mail/sender.ts';
import type { PaymentProvider } from './modules/payments/provider.ts';

/**
 * Everything the app hands its modules, built once by `buildApp` (app.ts). Each module's register
 * function takes a `Pick<ModuleDeps, ...>` of what it uses, so a module depends on this type and
 * never on app.ts, and a test or a second entry point (ml-app.ts) can assemble just that part.
 */
export interface ModuleDeps {
  config: Config;
  db: Db;
  /** In-process notifications between modules (checkout → prediction refresh). */
  events: DomainEventBus;
  /** The shop's in-memory product listing; catalog writes invalidate it. */
  listing: ShopListing;
  /** The batched behaviour log (views, searches, cart changes). */
  behaviour: BehaviourLog;
  /** Who takes the money: manual, or Stripe when STRIPE_SECRET_KEY is set. */
  payments: PaymentProvider;
  /** Delivers the mail outbox; services nudge it after a commit that wrote mails. */
  mail: MailSender;
}
