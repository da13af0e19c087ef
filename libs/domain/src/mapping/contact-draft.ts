import type { ContactSourceKind } from '../contact/contact-source-kind';
import type { MappingTarget } from './field-mapping';

/** A source record read through a mapping: raw values per target, before normalisation. */
export interface ContactDraft {
  readonly sourceKey: string;
  readonly sourceKind: ContactSourceKind;
  /** Id of the list's source the record came from (used for merge priority). */
  readonly sourceId: string;
  /** Every value each target's paths reached, in path order. */
  readonly values: Readonly<Partial<Record<MappingTarget, readonly unknown[]>>>;
}
