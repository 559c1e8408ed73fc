import { AttachmentEntity } from './attachment.entity';
import { MessageDto } from './dto/message.dto';
import { MessageEntity } from './message.entity';

export function toMessageDto(message: MessageEntity, attachments: AttachmentEntity[]): MessageDto {
  return {
    id: message.id,
    ticketId: message.ticketId,
    direction: message.direction,
    kind: message.kind,
    authorType: message.authorType,
    authorId: message.authorId,
    text: message.text,
    html: message.html,
    attachments: attachments
      .filter((a) => a.messageId === message.id)
      .map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        url: a.storageKey ? `/api/attachments/${a.id}` : (a.externalUrl ?? ''),
        stored: a.storageKey !== null,
        note: a.note,
        contentId: a.contentId,
      })),
    deliveryStatus: message.deliveryStatus,
    error: message.error,
    editedAt: message.editedAt?.toISOString() ?? null,
    createdAt: message.createdAt.toISOString(),
  };
}
