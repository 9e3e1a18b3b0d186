import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('throttle_counters')
export class ThrottleCounterEntity {
  @PrimaryColumn({ name: 'counter_key', type: 'varchar', length: 200 })
  counterKey: string;

  @Column({ name: 'window_start', type: 'bigint' })
  windowStart: string;

  @Column({ type: 'integer' })
  hits: number;
}
