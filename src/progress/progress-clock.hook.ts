import { Injectable } from '@nestjs/common';

/**
 * "Now" for the progress figures (days left, which past days count for the checkpoint). A seam a
 * test may replace to play days passing; the shipped one reads the system clock.
 */
@Injectable()
export class ProgressClock {
  now(): Date {
    return new Date();
  }
}
