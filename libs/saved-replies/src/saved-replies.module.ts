import { Module } from '@nestjs/common';
import { SavedRepliesController } from './saved-replies.controller';
import { SavedRepliesRepository } from './saved-replies.repository';
import { SavedRepliesService } from './saved-replies.service';

@Module({
  controllers: [SavedRepliesController],
  providers: [SavedRepliesRepository, SavedRepliesService],
})
export class SavedRepliesModule {}
