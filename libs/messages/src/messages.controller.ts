import { Body, Controller, Get, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, ParseId, Principal } from '@pasokh/common';
import type { Response } from 'express';
import { AttachmentDto, ListMessagesQuery, MessageDto, NoteDto, ReplyDto } from './dto/message.dto';
import { MessagesErrorCode, MessagesException } from './messages.exception';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get('tickets/:id/messages')
  list(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Query() query: ListMessagesQuery): Promise<Page<MessageDto>> {
    return this.messages.list(principal, id, query);
  }

  @Post('tickets/:id/replies')
  reply(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: ReplyDto): Promise<MessageDto> {
    return this.messages.reply(principal, id, body);
  }

  @Post('tickets/:id/notes')
  note(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: NoteDto): Promise<MessageDto> {
    return this.messages.note(principal, id, body);
  }

  /** Upload first, then send its id in a reply's attachmentIds. */
  @Post('attachments')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file'))
  upload(@CurrentPrincipal() principal: Principal, @UploadedFile() file: Express.Multer.File | undefined): Promise<AttachmentDto> {
    if (!file) throw new MessagesException(MessagesErrorCode.EMPTY_MESSAGE, 'send the file as multipart field "file"');
    return this.messages.upload(principal, file);
  }

  @Get('attachments/:id')
  async download(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Res() res: Response): Promise<void> {
    const { attachment, content } = await this.messages.download(principal, id);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.send(content);
  }
}
