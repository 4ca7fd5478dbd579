import type { Kysely } from 'kysely';
import { createTableFor } from './helpers.ts';

// The shopping assistant: chat sessions, their messages, and prompts used per identity per day.
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTableFor(db, 'assistant_sessions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('guest_id', 'varchar(64)')
    .addColumn('prompt_limit', 'integer', (c) => c.notNull())
    .addColumn('prompts_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assistant_sessions_user').on('assistant_sessions').column('user_id').execute();
  await db.schema
    .createIndex('assistant_sessions_guest')
    .on('assistant_sessions')
    .column('guest_id')
    .execute();

  await createTableFor(db, 'assistant_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('session_id', 'varchar(36)', (c) =>
      c.notNull().references('assistant_sessions.id').onDelete('cascade'),
    )
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('products', 'text')
    .addColumn('engine', 'varchar(16)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('assistant_messages_session')
    .on('assistant_messages')
    .columns(['session_id', 'id'])
    .execute();

  // One row per identity ("user:42" / "guest:<uuid>") and UTC day; user rows go with the user.
  await createTableFor(db, 'assistant_daily_usage')
    .addColumn('identity', 'varchar(80)', (c) => c.notNull())
    .addColumn('day', 'varchar(10)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('prompts_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('assistant_daily_usage_pk', ['identity', 'day'])
    .execute();
  await db.schema
    .createIndex('assistant_daily_usage_user')
    .on('assistant_daily_usage')
    .column('user_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['assistant_daily_usage', 'assistant_messages', 'assistant_sessions']) {
    await db.schema.dropTable(t).execute();
  }
}
