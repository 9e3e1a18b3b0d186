import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module.js';
import { ApiAuthController, PageAuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { UserAccountsController } from './user-accounts.controller.js';
import { UsersPagesController } from './users-pages.controller.js';

@Global()
@Module({
  imports: [UsersModule],
  controllers: [
    ApiAuthController,
    PageAuthController,
    UserAccountsController,
    UsersPagesController,
  ],
  providers: [AuthService, AuthRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
