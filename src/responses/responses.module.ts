import { Module } from '@nestjs/common';
import { RespondApiController, RespondPagesController } from './respond.controller.js';
import { ResponseInsertHook } from './response-insert.hook.js';
import { ResponsesRepository } from './responses.repository.js';
import { ResponsesService } from './responses.service.js';

@Module({
  controllers: [RespondPagesController, RespondApiController],
  providers: [ResponsesService, ResponsesRepository, ResponseInsertHook],
})
export class ResponsesModule {}
