import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ParseId, Principal, Roles } from '@pasokh/common';
import { ChannelsService } from './channels.service';
import { ChannelDto, CreateChannelDto, CreatedChannelDto, UpdateChannelDto } from './dto/channel.dto';

@ApiTags('channels')
@ApiBearerAuth()
@Controller('api/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  async list(): Promise<{ items: ChannelDto[] }> {
    return { items: await this.channels.list() };
  }

  @Get(':id')
  get(@Param('id', ParseId) id: string): Promise<ChannelDto> {
    return this.channels.get(id);
  }

  @Post()
  @Roles('admin')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateChannelDto): Promise<CreatedChannelDto> {
    return this.channels.create({ type: 'agent', id: principal.agentId }, body);
  }

  @Patch(':id')
  @Roles('admin')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdateChannelDto): Promise<ChannelDto> {
    return this.channels.update({ type: 'agent', id: principal.agentId }, id, body);
  }
}
