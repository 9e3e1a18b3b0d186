import {
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';

export interface PeriodicWorkerOptions {
  /** Logger context. */
  name: string;
  /** Milliseconds between ticks (from the validated configuration). */
  everyMs: number;
  /** Run one tick during bootstrap, awaited, before the timer starts. */
  tickAtBootstrap?: boolean;
  /** Start of the warning logged when a tick throws: `<failure>: <message>`. */
  failure: string;
}

/**
 * A background job run every `everyMs` from application bootstrap. Ticks never overlap in this
 * process; the timer is unref'd, so it never keeps the process alive. A tick that throws is logged
 * and the next one runs as usual.
 *
 * Stopped in onModuleDestroy, which runs before any module's onApplicationShutdown (the database
 * connection closes in the latter): the timer is cleared and the tick in progress awaited, so no
 * tick ever runs against a closed connection. onApplicationShutdown stops again, harmlessly, for
 * the case where module destroy was skipped.
 */
export abstract class PeriodicWorker
  implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  protected readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: PeriodicWorkerOptions) {
    this.logger = new Logger(options.name);
  }

  /** One pass of the job. */
  protected abstract tick(): Promise<void>;

  /** Called on each stop, after the tick in progress (if any) has ended. */
  protected afterStop(): void {}

  /** True from the moment a stop begins: a long tick checks it to finish early. */
  protected get isStopping(): boolean {
    return this.stopping;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopping = false;
    if (this.options.tickAtBootstrap) await this.runOnce();
    this.timer = setInterval(() => this.kick(), this.options.everyMs);
    this.timer.unref();
  }

  /** Runs one tick now (after the one in progress, if any); for tests and the CLI. */
  async runOnce(): Promise<void> {
    await this.current;
    this.kick();
    await this.current;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.current;
    this.afterStop();
  }

  private kick(): void {
    if (this.current || this.stopping) return;
    this.current = this.tick()
      .catch((err: unknown) => {
        this.logger.warn(
          `${this.options.failure}: ${err instanceof Error ? err.message : String(err)}`,
        );
      })
      .finally(() => {
        this.current = undefined;
      });
  }
}
