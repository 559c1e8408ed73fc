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
  @Column('text') sha256: string;
  @Column('text', { name: 'storage_key' }) storageKey: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
