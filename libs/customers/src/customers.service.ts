import { Inject, Injectable } from '@nestjs/common';
import { Actor, AuditService } from '@pasokh/audit';
import { decodeCursor, DEFAULT_PAGE_SIZE, normalizeEmail, normalizePhone, normalizeText, Page, toPage } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { EntityManager } from 'typeorm';
import { CustomerEntity } from './customer.entity';
import { CustomersErrorCode, CustomersException } from './customers.exception';
import { CustomersRepository } from './customers.repository';
import { CustomerDto, ListCustomersQuery, UpdateCustomerDto } from './dto/customer.dto';

/** What customer search matches: name, email and phone, with Persian/Arabic forms folded. */
export function searchText(c: { name: string | null; email: string | null; phone: string | null }): string {
  return normalizeText([c.name, c.email, c.phone].filter(Boolean).join(' '));
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: ListCustomersQuery): Promise<Page<CustomerDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const search = query.q ? { text: normalizeText(query.q) || null, phone: normalizePhone(query.q, this.config.phoneRegion) } : { text: null, phone: null };
    const rows = await this.customers.list(search, after, limit);
    const page = toPage(rows, limit, (c) => [c.createdAt.toISOString(), c.id], (c) => c);
    return { items: await this.toDtos(page.items), nextCursor: page.nextCursor };
  }

  async get(id: string, manager?: EntityManager): Promise<CustomerDto> {
    const customer = await this.findLive(id, manager);
    return (await this.toDtos([customer], manager))[0];
  }

  async update(actor: Actor, id: string, input: UpdateCustomerDto): Promise<CustomerDto> {
    return this.tx.run(async ({ manager }) => {
      const customer = await this.findLive(id, manager);
      const patch: Partial<CustomerEntity> = {};
      if (input.name !== undefined) patch.name = input.name?.trim() || null;
      if (input.email !== undefined) {
        patch.email = input.email ? normalizeEmail(input.email) : null;
        if (input.email && !patch.email) throw new CustomersException(CustomersErrorCode.INVALID_EMAIL, `"${input.email}" is not an email address`);
      }
      if (input.phone !== undefined) {
        patch.phone = input.phone ? normalizePhone(input.phone, this.config.phoneRegion) : null;
        if (input.phone && !patch.phone) {
          throw new CustomersException(CustomersErrorCode.INVALID_PHONE, `"${input.phone}" is not a valid phone number (use the international form, e.g. +98 912 345 6789)`);
        }
      }
      if (input.tier !== undefined) patch.tier = input.tier.trim();
      if (input.attributes !== undefined) patch.attributes = input.attributes;
      if (input.locale !== undefined) patch.locale = input.locale;
      if (input.timezone !== undefined) patch.timezone = input.timezone;
      patch.searchText = searchText({ ...customer, ...patch });
      await this.customers.update(manager, id, patch);
      await this.audit.record(manager, actor, { action: 'customer.updated', entityType: 'customer', entityId: id, data: { ...input } });
      return this.get(id, manager);
    });
  }

  /** Folds `sourceId` into `targetId`: identities and tickets move, the source is kept as merged. */
  async merge(actor: Actor, targetId: string, sourceId: string): Promise<CustomerDto> {
    if (targetId === sourceId) throw new CustomersException(CustomersErrorCode.MERGE_INTO_SELF, 'a customer cannot be merged into itself');
    return this.tx.run(async ({ manager, afterCommit }) => {
      await this.customers.lockKeys(manager, [`customer:${targetId}`, `customer:${sourceId}`]);
      const target = await this.findLive(targetId, manager);
      const source = await this.findLive(sourceId, manager);
      const moved = await this.customers.merge(manager, target.id, source.id);
      afterCommit(() => moved.ticketIds.forEach((ticketId) => this.events.publish({ type: 'ticket.updated', ticketId })));
      const patch: Partial<CustomerEntity> = {
        name: target.name ?? source.name,
        email: target.email ?? source.email,
        phone: target.phone ?? source.phone,
        attributes: { ...source.attributes, ...target.attributes },
      };
      patch.searchText = searchText({ name: patch.name!, email: patch.email!, phone: patch.phone! });
      await this.customers.update(manager, target.id, patch);
      await this.audit.record(manager, actor, {
        action: 'customer.merged',
        entityType: 'customer',
        entityId: target.id,
        data: { sourceCustomerId: source.id, source: { name: source.name, email: source.email, phone: source.phone }, moved },
      });
      return this.get(target.id, manager);
    });
  }

  private async findLive(id: string, manager?: EntityManager): Promise<CustomerEntity> {
    const customer = await this.customers.findById(id, manager);
    if (!customer) throw new CustomersException(CustomersErrorCode.CUSTOMER_NOT_FOUND, `customer ${id} not found`);
    if (customer.mergedIntoId) {
      throw new CustomersException(CustomersErrorCode.CUSTOMER_MERGED, `customer ${id} was merged into ${customer.mergedIntoId}`);
    }
    return customer;
  }

  private async toDtos(customers: CustomerEntity[], manager?: EntityManager): Promise<CustomerDto[]> {
    const ids = customers.map((c) => c.id);
    const [identities, counts] = await Promise.all([this.customers.identities(ids, manager), this.customers.ticketCounts(ids, manager)]);
    return customers.map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email,
      phone: c.phone,
      tier: c.tier,
      attributes: c.attributes,
      locale: c.locale,
      timezone: c.timezone,
      identities: identities.filter((i) => i.customerId === c.id).map((i) => ({ channelType: i.channelType, externalId: i.externalId })),
      ticketCount: counts.get(c.id) ?? 0,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    }));
  }
}
