import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { UsersService } from '../users/users.service.js';

/** ADMIN_EMAIL + ADMIN_PASSWORD create the first admin when no user exists yet. */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config.env;
    if (ADMIN_EMAIL && ADMIN_PASSWORD)
      await this.users.createFirstAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
  }
}
