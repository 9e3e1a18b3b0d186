import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The application's Prometheus metrics (one registry per app instance, so several apps in one
 * process — the tests — never share counters). Served at /metrics when METRICS_TOKEN is set
 * (src/app.factory.ts); the outbox gauge is read from the database at scrape time.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'specchio_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'specchio_http_request_duration_seconds',
    help: 'Time from the request to the end of the response, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly answersAccepted = new Counter({
    name: 'specchio_answers_accepted_total',
    help: 'Survey submissions stored (each one answers one invitation)',
    registers: [this.registry],
  });
  readonly databaseErrors = new Counter({
    name: 'specchio_database_errors_total',
    help: 'Requests that failed because the database was busy or unavailable (answered 503)',
    registers: [this.registry],
  });
  private defaults = false;

  /** Process metrics (memory, CPU, event-loop lag, GC), only once /metrics is switched on. */
  withProcessMetrics(): this {
    if (!this.defaults) collectDefaultMetrics({ register: this.registry, prefix: 'specchio_' });
    this.defaults = true;
    return this;
  }
}

/** The route label: the matched route's pattern (never the raw URL, which may carry a token). */
export const routeLabel = (pattern: string | undefined): string => pattern ?? '(unmatched)';
