import { migrateDownOne, migrateToLatest, migrationStatus } from '../../db/migrate.ts';
import { type Command, CommandError, parseOptions } from '../command.ts';

/**
 * `migrate`: applies pending migrations (what every other command and the server do on start),
 * `--status` lists applied and pending ones without changing anything, `--down` reverts the last
 * applied one through its `down`. A running server is not told: stop it before `--down`.
 */
export const migrateCommand: Command = {
  summary: 'Apply pending migrations; --status lists applied and pending ones, --down reverts the last',
  usage: 'migrate [--status | --down]',
  managesSchema: true,
  async run(args, { db, out }) {
    const { values } = parseOptions(args, { status: { type: 'boolean' }, down: { type: 'boolean' } });
    if (values.status && values.down) throw new CommandError('--status and --down exclude each other');

    if (values.status) {
      const states = await migrationStatus(db);
      for (const m of states) {
        const when = m.appliedAt ? m.appliedAt.toISOString().replace('T', ' ').slice(0, 19) : '';
        out.log(`${m.appliedAt ? 'applied' : 'pending'}  ${when.padEnd(19)}  ${m.name}`);
      }
      const applied = states.filter((m) => m.appliedAt).length;
      out.log(`${applied} applied, ${states.length - applied} pending.`);
      return;
    }

    if (values.down) {
      const reverted = await migrateDownOne(db);
      out.log(reverted ? `Reverted ${reverted}.` : 'Nothing to revert: no migration is applied.');
      return;
    }

    const ran = await migrateToLatest(db);
    out.log(ran.length ? `Applied ${ran.join(', ')}.` : 'The schema is up to date.');
  },
};
