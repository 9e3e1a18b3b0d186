import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { Db } from '../database/db.js';

@Controller('health')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Public()
  @Get()
  async health(@Res() reply: FastifyReply) {
    const up = await this.db.ping();
    // After writes were refused (disk full, I/O error): `writes` says whether they succeed again.
    const writes = up ? await this.db.writesRecovered() : null;
    const ok = up && writes !== false;
    return reply
      .status(ok ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send({
        status: ok ? 'ok' : 'degraded',
        db: up ? 'up' : 'down',
        ...(writes === false ? { writes: 'failing' } : {}),
      });
  }
}
