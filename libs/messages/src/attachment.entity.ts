import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';

const bigintNumber: ValueTransformer = { to: (v: number) => v, from: (v: string) => Number(v) };

@Entity('attachments')
export class AttachmentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Null while an agent's upload waits to be sent with a reply. */
  @Column('uuid', { name: 'message_id', nullable: true }) messageId: string | null;
  @Column('uuid', { name: 'uploaded_by', nullable: true }) uploadedBy: string | null;
  @Column('text') filename: string;
  @Column('text', { name: 'content_type' }) contentType: string;
  @Column('bigint', { transformer: bigintNumber }) size: number;
  /** Null for a link (media we did not store). */
  @Column('text', { nullable: true }) sha256: string | null;
  @Column('text', { name: 'storage_key', nullable: true }) storageKey: string | null;
  @Column('text', { name: 'external_url', nullable: true }) externalUrl: string | null;
  /** Why a link was not stored (e.g. over the size limit). */
  @Column('text', { nullable: true }) note: string | null;
  /** An email's inline image: its HTML refers to it as cid:<contentId>. */
  @Column('text', { name: 'content_id', nullable: true }) contentId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
