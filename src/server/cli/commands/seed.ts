import { formatDemoLogins, seedDemoCatalog } from '../../db/seed/seed.ts';
import { type Command, parseOptions } from '../command.ts';

export const seedCommand: Command = {
  summary: 'Load the demo catalog and demo accounts into a database that has no products',
  usage: 'seed',
  async run(args, { config, db, out }) {
    parseOptions(args, {});
    // Asking for it explicitly overrides DEMO_DATA=false.
    const result = await seedDemoCatalog(db, { ...config, DEMO_DATA: true });
    if (!result.seeded) {
      out.log('The database already has products; nothing was changed.');
      return;
    }
    out.log('Loaded the demo catalog.');
    const logins = formatDemoLogins(result.created);
    if (logins) out.log(logins);
  },
};
