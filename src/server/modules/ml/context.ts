import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';

/** What the ML services need from the process: the database and the ML settings. */
export type MlConfig = Pick<
  Config,
  'ML_HORIZON_DAYS' | 'ML_RETRAIN_AFTER_ORDERS' | 'ML_RETRAIN_EVERY_HOURS' | 'ML_WORKER'
>;

export interface TrainerContext {
  db: Db;
  config: MlConfig;
  /** Identifies this process in the lease; random per trainer. */
  owner?: string;
  log?: (message: string) => void;
}
