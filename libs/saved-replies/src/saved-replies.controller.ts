import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ParseId, Principal, Roles } from '@pasokh/common';
import { CreateSavedReplyDto, SavedReplyDto, UpdateSavedReplyDto } from './dto/saved-reply.dto';
import { SavedRepliesService } from './saved-replies.service';

@ApiTags('saved replies')
@ApiBearerAuth()
@Controller('api/saved-replies')
export class SavedRepliesController {
  constructor(private readonly replies: SavedRepliesService) {}

  @Get()
  @ApiQuery({ name: 'q', required: false, description: 'in the shortcut, title or text; Persian/Arabic letter forms and digits folded' })
  async list(@Query('q') q?: string): Promise<{ items: SavedReplyDto[] }> {
    return { items: await this.replies.list(typeof q === 'string' ? q.slice(0, 200) : undefined) };
  }

  @Post()
  @Roles('supervisor', 'admin')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSavedReplyDto): Promise<SavedReplyDto> {
    return this.replies.create({ type: 'agent', id: principal.agentId }, body);
  }

  @Patch(':id')
  @Roles('supervisor', 'admin')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdateSavedReplyDto): Promise<SavedReplyDto> {
    return this.replies.update({ type: 'agent', id: principal.agentId }, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('supervisor', 'admin')
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string): Promise<void> {
    await this.replies.delete({ type: 'agent', id: principal.agentId }, id);
  }
}
