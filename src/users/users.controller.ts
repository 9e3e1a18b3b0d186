import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateUserDto, mapUser } from './users.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  async create(@Body() body: CreateUserDto) {
    const user = await this.users.create(body.email, body.password, body.role, body.scopeUnitCode);
    const { id, email, role } = mapUser(user);
    return {
      id,
      email,
      role,
      ...(role === 'manager' ? { scopeUnitCode: body.scopeUnitCode } : {}),
    };
  }

  @Get()
  async list() {
    const codes = await this.users.unitCodes();
    return (await this.users.list()).map((u) => mapUser(u, codes));
  }
}
