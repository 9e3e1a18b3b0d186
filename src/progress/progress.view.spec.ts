import type { CampaignProgressJson } from './progress.dto.js';
import { dailyChart, formatDay, progressPage } from './progress.view.js';

const internal: CampaignProgressJson = {
  campaign: {
    id: 'c1',
    name: 'Colleagues',
    audience: 'internal',
    wave: '2026-Q1',
    status: 'open',
    closesAt: null,
  },
  invited: 20,
  responses: 7,
  responseRate: 0.35,
  remindersSent: 0,
  daysLeft: null,
  daily: [{ day: '2026-03-01', responses: 7 }],
  minGroupSize: 5,
  statusAsOf: '2026-03-01',
  units: [
    { unitCode: 'A', unitName: 'Alpha', invited: 12, status: 'on_track' },
    { unitCode: 'B', unitName: 'Beta', invited: 3, status: 'too_few_invited' },
  ],
};

describe('progressPage', () => {
  it('words every status and day in the page language', () => {
    const en = progressPage(internal, 'en');
    expect(en.title).toBe('Progress: Colleagues');
    expect(en.asOf).toBe('1 Mar 2026');
    expect(en.units.map((u) => u.statusLabel)).toEqual([
      'Enough responses (at least 5)',
      'Fewer than 5 invited',
    ]);
    const italian = progressPage(internal, 'it');
    expect(italian.title).toBe('Avanzamento: Colleagues');
    expect(italian.asOf).toBe('1 mar 2026');
    expect(italian.units[0].statusLabel).toBe('Risposte sufficienti (almeno 5)');
    expect(italian.statusLabel).toBe('Aperta');
  });

  it('says when there is no checkpoint yet, and keeps the numbers as numbers', () => {
    const none = progressPage({ ...internal, statusAsOf: null }, 'en');
    expect(none.noCheckpointYet).toBe(true);
    expect(none.asOf).toBeNull();
    expect(none.responses).toBe(7);
    expect(none.maxDaily).toBe(7);
    const external = progressPage(
      {
        ...internal,
        campaign: { ...internal.campaign, audience: 'external' },
        minGroupSize: null,
        statusAsOf: undefined,
        units: [{ unitCode: 'A', unitName: 'Alpha', invited: 4, responses: 1, responseRate: 0.25 }],
      },
      'en',
    );
    expect(external.noCheckpointYet).toBe(false);
    expect(external.units[0].statusLabel).toBeUndefined();
  });

  it('formats days in UTC', () => {
    expect(formatDay('2026-12-31', 'en')).toBe('31 Dec 2026');
    expect(formatDay('not a day', 'en')).toBe('not a day');
  });
});

describe('dailyChart', () => {
  it('draws one bar per day, the busiest one full height, each titled with its day and count', () => {
    expect(dailyChart([], () => '')).toBeNull();
    expect(dailyChart([{ day: '2026-03-01', responses: 3 }], () => '')).toBeNull();
    const chart = dailyChart(
      [
        { day: '2026-03-01', responses: 10 },
        { day: '2026-03-02', responses: 5 },
        { day: '2026-03-03', responses: 0 },
      ],
      (day, n) => `${day}: ${n}`,
    );
    expect(chart?.bars.map((b) => b.height)).toEqual([104, 52, 0]);
    expect(chart?.bars.map((b) => b.y + b.height)).toEqual([112, 112, 112]);
    expect(chart?.bars[1].title).toBe('2026-03-02: 5');
    expect(chart?.bars[2].x).toBeGreaterThan(chart?.bars[1].x ?? 0);
  });

  it('words the bar titles in the page language', () => {
    const italian = progressPage(
      { ...internal, daily: [...internal.daily, { day: '2026-03-02', responses: 1 }] },
      'it',
    );
    expect(italian.chart?.bars[0].title).toBe('1 mar 2026: 7 risposte');
  });
});
