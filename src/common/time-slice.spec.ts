import { TimeSlice } from './time-slice.js';

describe('TimeSlice', () => {
  it('lets a timer run during a long loop and keeps the results in order', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const slice = new TimeSlice(5);
    const busy = (n: number) => {
      const until = performance.now() + 0.05;
      while (performance.now() < until);
      return n * 2;
    };
    const items = Array.from({ length: 4000 }, (_, i) => i); // about 200 ms of work
    const out = await slice.map(items, busy);
    clearInterval(timer);
    expect(out).toEqual(items.map((n) => n * 2));
    expect(ticks).toBeGreaterThan(5);
  });

  it('is due only once its budget is spent', async () => {
    const slice = new TimeSlice(50);
    expect(slice.due()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(slice.due()).toBe(true);
    await slice.pause();
    expect(slice.due()).toBe(false);
  });
});
