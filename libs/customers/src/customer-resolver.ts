import { Inject, Injectable } from '@nestjs/common';
import { normalizeEmail, normalizePhone, normalizeText } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { EntityManager } from 'typeorm';
import { CustomerEntity } from './customer.entity';
import { CustomersRepository } from './customers.repository';

export interface SenderIdentity {
  channelType: string;
  externalId: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * Finds the one customer behind a message's sender, or creates them. Matching is exact only: the
 * identity (channel type, provider id), then the normalised email, then the normalised phone. Anything
 * fuzzier is an agent's explicit, audited merge.
 */
@Injectable()
export class CustomerResolver {
  constructor(
    private readonly customers: CustomersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Takes transaction-scoped advisory locks on every key this sender could match by, in a fixed order,
   * so concurrent first messages of one new person wait for each other instead of creating two
   * customers. Call first in the transaction; the locks end with it.
   */
  async lock(manager: EntityManager, sender: SenderIdentity): Promise<void> {
    const email = normalizeEmail(sender.email);
    const phone = normalizePhone(sender.phone, this.config.phoneRegion);
    const keys = [`identity:${sender.channelType}:${sender.externalId}`];
    if (email) keys.push(`email:${email}`);
    if (phone) keys.push(`phone:${phone}`);
    await this.customers.lockKeys(manager, keys);
  }

  async resolve(manager: EntityManager, sender: SenderIdentity): Promise<{ customer: CustomerEntity; created: boolean }> {
    const email = normalizeEmail(sender.email);
    const phone = normalizePhone(sender.phone, this.config.phoneRegion);
    const name = sender.name?.trim() || null;

    let customer =
      (await this.customers.findByIdentity(manager, sender.channelType, sender.externalId)) ??
      (email ? await this.customers.findByContact(manager, 'email', email) : null) ??
      (phone ? await this.customers.findByContact(manager, 'phone', phone) : null);

    if (!customer) {
      customer = await this.customers.insert(manager, { name, email, phone, tier: 'standard', attributes: {}, searchText: searchText({ name, email, phone }) });
      await this.customers.addIdentity(manager, customer.id, sender.channelType, sender.externalId);
      return { customer, created: true };
    }

    await this.customers.addIdentity(manager, customer.id, sender.channelType, sender.externalId);
    // Fill gaps only: what an agent typed into the profile wins over what a provider sends.
    const patch: Partial<CustomerEntity> = {};
    if (!customer.name && name) patch.name = name;
    if (!customer.email && email) patch.email = email;
    if (!customer.phone && phone) patch.phone = phone;
    if (Object.keys(patch).length) {
      Object.assign(customer, patch);
      patch.searchText = searchText(customer);
      await this.customers.update(manager, customer.id, patch);
    }
    return { customer, created: false };
  }
}

export function searchText(c: { name: string | null; email: string | null; phone: string | null }): string {
  return normalizeText([c.name, c.email, c.phone].filter(Boolean).join(' '));
}
