import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/dialect.ts';
import type { MlKind, MlModelsTable } from '../../../db/schema.ts';
import type { ModelSpec } from '../pipeline.ts';

/** Model versions: listing, the active pair, storing a trained version and switching the active one. */

function modelRows(db: Db) {
  return db.selectFrom('ml_models').selectAll().orderBy('id', 'desc').execute();
}

export async function listModels(db: Db) {
  return modelRows(db);
}

export async function findModel(db: Db, id: number) {
  return db.selectFrom('ml_models').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function activeModels(db: Db) {
  return db.selectFrom('ml_models').selectAll().where('status', '=', 'active').orderBy('kind').execute();
}

export function specOf(row: { kind: MlKind; algorithm: string; params: string }): ModelSpec {
  return { kind: row.kind, algorithm: row.algorithm, params: JSON.parse(row.params) } as ModelSpec;
}

export type NewModelVersion = Omit<MlModelsTable, 'id' | 'status' | 'activated_at'>;

/**
 * Stores a trained version: active (retiring the kind's active one in the same transaction) when
 * promoted, otherwise rejected. Returns its id.
 */
export async function storeModelVersion(db: Db, version: NewModelVersion, promote: boolean): Promise<number> {
  return inTransaction(db, async (trx) => {
    if (promote) {
      await trx
        .updateTable('ml_models')
        .set({ status: 'retired' })
        .where('kind', '=', version.kind)
        .where('status', '=', 'active')
        .execute();
    }
    const r = await trx
      .insertInto('ml_models')
      .values({
        ...version,
        status: promote ? 'active' : 'rejected',
        activated_at: promote ? version.trained_at : null,
      })
      .executeTakeFirstOrThrow();
    return Number(r.insertId);
  });
}

/** Makes one version the active one of its kind (rollback or manual promotion). */
export async function makeActive(db: Db, id: number, kind: MlKind): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('ml_models')
      .set({ status: 'retired' })
      .where('kind', '=', kind)
      .where('status', '=', 'active')
      .where('id', '!=', id)
      .execute();
    await trx
      .updateTable('ml_models')
      .set({ status: 'active', activated_at: Date.now() })
      .where('id', '=', id)
      .execute();
  });
}

/** The newest training time of any version, or undefined before the first. */
export async function lastTrainedAt(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('ml_models')
    .select('trained_at')
    .orderBy('trained_at', 'desc')
    .executeTakeFirst();
  return row?.trained_at;
}

/** The newest data end of any version (versions trained outside a job count too). */
export async function lastModelDataEnd(db: Db): Promise<number | null> {
  const row = await db
    .selectFrom('ml_models')
    .select((eb) => eb.fn.max('data_end').as('at'))
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
