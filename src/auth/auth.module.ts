import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersController } from '../users/users.controller.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { ApiAuthController, PageAuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { FirstAdmin } from './first-admin.js';

@Global()
@Module({
  controllers: [ApiAuthController, PageAuthController, UsersController],
  providers: [
    AuthService,
    AuthRepository,
    UsersService,
    UsersRepository,
    FirstAdmin,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, UsersService],
})
export class AuthModule {}
