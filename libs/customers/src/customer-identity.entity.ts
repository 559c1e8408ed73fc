import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One way to reach a customer: (channel type, the provider's id for them). Unique across customers. */
@Entity('customer_identities')
export class CustomerIdentityEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'channel_type' }) channelType: string;
  @Column('text', { name: 'external_id' }) externalId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
