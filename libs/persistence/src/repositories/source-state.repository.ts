import type { EntityManager } from 'typeorm';
import { SourceStateEntity } from '../entities/source-state.entity';

/** Per-tenant state of a source between runs (e.g. the directory's `/users/delta` link). */
export class SourceStateRepository {
  constructor(private readonly manager: EntityManager) {}

  async find(tenantId: string, sourceKey: string): Promise<SourceStateEntity | null> {
    return this.manager
      .getRepository(SourceStateEntity)
      .findOne({ where: { tenantId, sourceKey } });
  }

  /** Stores the delta link on `state`, or on a new row when there is none yet. */
  async saveDeltaLink(
    state: SourceStateEntity | null,
    tenantId: string,
    sourceKey: string,
    deltaLink: string,
  ): Promise<void> {
    const states = this.manager.getRepository(SourceStateEntity);
    if (state) {
      await states.update({ id: state.id }, { deltaLink });
    } else {
      await states
        .insert(Object.assign(new SourceStateEntity(), { tenantId, sourceKey, deltaLink }))
        .catch(() => states.update({ tenantId, sourceKey }, { deltaLink })); // a concurrent first read
    }
  }
}
