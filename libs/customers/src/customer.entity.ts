import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('customers')
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { nullable: true }) name: string | null;
  /** Normalised: lower-case. */
  @Column('text', { nullable: true }) email: string | null;
  /** Normalised: E.164. */
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text') tier: string;
  @Column('jsonb') attributes: Record<string, any>;
  @Column('text', { nullable: true }) locale: string | null;
  @Column('text', { nullable: true }) timezone: string | null;
  /** normalizeText(name, email, phone): Persian/Arabic letter forms and digits folded. */
  @Column('text', { name: 'search_text' }) searchText: string;
  @Column('uuid', { name: 'merged_into_id', nullable: true }) mergedIntoId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
