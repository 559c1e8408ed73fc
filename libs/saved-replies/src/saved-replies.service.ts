import { Injectable } from '@nestjs/common';
import { Actor, AuditService } from '@pasokh/audit';
import { normalizeText } from '@pasokh/common';
import { TransactionService } from '@pasokh/database';
import { CreateSavedReplyDto, SavedReplyDto, UpdateSavedReplyDto } from './dto/saved-reply.dto';
import { SavedRepliesErrorCode, SavedRepliesException } from './saved-replies.exception';
import { SavedRepliesRepository, SavedReplyRow } from './saved-replies.repository';

/** Saved replies: every agent uses them, supervisors and admins keep them. */
@Injectable()
export class SavedRepliesService {
  constructor(
    private readonly replies: SavedRepliesRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  async list(q: string | undefined): Promise<SavedReplyDto[]> {
    const search = q?.trim() ? normalizeText(q) : null;
    return (await this.replies.list(search)).map(toDto);
  }

  create(actor: Actor, input: CreateSavedReplyDto): Promise<SavedReplyDto> {
    return this.tx.run(async ({ manager }) => {
      const fields = prepare(input);
      const row = await this.replies.insert(manager, { ...fields, createdBy: actor.id }).catch(shortcutTaken(fields.shortcut));
      await this.audit.record(manager, actor, { action: 'saved_reply.created', entityType: 'saved_reply', entityId: row.id, data: { shortcut: row.shortcut } });
      return toDto(row);
    });
  }

  update(actor: Actor, id: string, input: UpdateSavedReplyDto): Promise<SavedReplyDto> {
    return this.tx.run(async ({ manager }) => {
      const current = await this.replies.find(manager, id);
      if (!current) throw notFound(id);
      const fields = prepare({ shortcut: input.shortcut ?? current.shortcut, title: input.title ?? current.title, text: input.text ?? current.text });
      const row = await this.replies.update(manager, id, fields).catch(shortcutTaken(fields.shortcut));
      await this.audit.record(manager, actor, { action: 'saved_reply.updated', entityType: 'saved_reply', entityId: id, data: { ...input } });
      return toDto(row);
    });
  }

  delete(actor: Actor, id: string): Promise<void> {
    return this.tx.run(async ({ manager }) => {
      if (!(await this.replies.delete(manager, id))) throw notFound(id);
      await this.audit.record(manager, actor, { action: 'saved_reply.deleted', entityType: 'saved_reply', entityId: id, data: {} });
    });
  }
}

function prepare(input: { shortcut: string; title: string; text: string }) {
  const shortcut = input.shortcut.trim();
  const title = input.title.trim();
  return { shortcut, title, text: input.text, searchText: normalizeText(`${shortcut} ${title} ${input.text}`) };
}

function shortcutTaken(shortcut: string) {
  return (error: { code?: string }): never => {
    if (error.code === '23505') throw new SavedRepliesException(SavedRepliesErrorCode.SAVED_REPLY_SHORTCUT_TAKEN, `the shortcut /${shortcut} is taken`);
    throw error;
  };
}

function notFound(id: string): SavedRepliesException {
  return new SavedRepliesException(SavedRepliesErrorCode.SAVED_REPLY_NOT_FOUND, `saved reply ${id} not found`);
}

function toDto(row: SavedReplyRow): SavedReplyDto {
  return { id: row.id, shortcut: row.shortcut, title: row.title, text: row.text, updatedAt: new Date(row.updated_at).toISOString() };
}
