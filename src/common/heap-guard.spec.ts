import v8 from 'node:v8';
import { HeapGuard } from './heap-guard.js';

const oldGeneration = () =>
  v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

/** Objects kept across many scavenges (so promoted to the old generation), then let go. */
function promotedGarbage(): void {
  let keep: Array<{ i: number; s: string }> | null = [];
  for (let i = 0; i < 300_000; i++) keep.push({ i, s: `row ${i}` });
  // Churn the young generation until the kept objects are old.
  let sink = 0;
  for (let round = 0; round < 200; round++) sink += new Array(50_000).fill(round).length;
  expect(sink).toBeGreaterThan(0);
  expect(keep.length).toBe(300_000);
  keep = null;
}

describe('HeapGuard', () => {
  it('asks for a full collection once the old generation grew past the slack, and it shrinks', () => {
    const guard = new HeapGuard(4 * 1024 * 1024);
    promotedGarbage();
    const before = oldGeneration();
    guard.check();
    expect(guard.collections).toBe(1);
    expect(oldGeneration()).toBeLessThan(before - 4 * 1024 * 1024);
    // Right after a collection the floor is the new size: no second one.
    guard.check();
    expect(guard.collections).toBe(1);
  });

  it('does nothing while the growth stays within the slack', () => {
    const guard = new HeapGuard(Number.MAX_SAFE_INTEGER);
    promotedGarbage();
    guard.check();
    expect(guard.collections).toBe(0);
  });
});
