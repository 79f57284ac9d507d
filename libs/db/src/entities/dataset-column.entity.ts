import type { Sensitivity } from '@civic/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A column's description and sensitivity, kept across versions (by name). */
@Entity('dataset_columns')
export class DatasetColumn {
  @PrimaryColumn({ name: 'dataset_id', type: 'uuid' })
  datasetId: string;

  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'data_type', type: 'text' })
  dataType: string;

  @Column({ name: 'description_zh', type: 'text', default: '' })
  descriptionZh: string;

  @Column({ name: 'description_en', type: 'text', default: '' })
  descriptionEn: string;

  @Column({ type: 'text' })
  sensitivity: Sensitivity;

  /** A personal column the agency exposes to derivations as a keyed pseudonym (for joining), never raw. */
  @Column({ name: 'join_pseudonym', type: 'boolean', default: false })
  joinPseudonym: boolean;

  @Column({ name: 'in_current_version', type: 'boolean', default: true })
  inCurrentVersion: boolean;
}
