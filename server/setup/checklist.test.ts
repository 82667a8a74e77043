import { describe, expect, it } from 'vitest';
import { setupSteps, type SetupFacts } from './checklist.ts';

const fresh: SetupFacts = { clinicName: null, chairs: [], roles: [], reviewedAt: {} };
const step = (facts: Partial<SetupFacts>, id: string) => setupSteps({ ...fresh, ...facts }).find((s) => s.id === id)!;

describe('the first-run checklist', () => {
  it('on a fresh box lists every step, none done, in the order a clinic sets up', () => {
    const steps = setupSteps(fresh);
    expect(steps.map((s) => s.id)).toEqual(['clinic', 'chairs', 'handpieces', 'people', 'breaks', 'alarms']);
    expect(steps.every((s) => !s.done)).toBe(true);
    expect(step({}, 'handpieces').detail).toBe('Add a chair first');
  });

  it('ticks the clinic and the chairs once named and added', () => {
    expect(step({ clinicName: 'Northside SMP' }, 'clinic')).toMatchObject({ done: true, detail: 'The wall shows “Northside SMP”' });
    const chairs = step({ chairs: [{ name: 'Chair 1', handpiece: 'none' }, { name: 'Chair 2', handpiece: 'none' }] }, 'chairs');
    expect(chairs).toMatchObject({ done: true, detail: '2 chairs: Chair 1 and Chair 2' });
  });

  it('ticks the handpieces only when every chair has one that has connected, and says which chairs lag', () => {
    const chairs = [
      { name: 'Chair 1', handpiece: 'connected' as const },
      { name: 'Chair 2', handpiece: 'paired' as const },
      { name: 'Chair 3', handpiece: 'none' as const },
      { name: 'Chair 4', handpiece: 'none' as const },
    ];
    expect(step({ chairs }, 'handpieces')).toEqual({
      id: 'handpieces', done: false, detail: 'Chair 3 and Chair 4 have no handpiece; Chair 2: paired, not connected yet',
    });
    const all = chairs.map((c) => ({ ...c, handpiece: 'connected' as const }));
    expect(step({ chairs: all }, 'handpieces')).toMatchObject({ done: true, detail: 'All 4 handpieces have connected' });
  });

  it('a long list of chairs is cut short', () => {
    const chairs = Array.from({ length: 6 }, (_, i) => ({ name: `Chair ${i + 1}`, handpiece: 'none' as const }));
    expect(step({ chairs }, 'handpieces').detail).toBe('Chair 1, Chair 2, Chair 3 and 3 more have no handpiece');
  });

  it('ticks the people once there is an operator and a supervisor (or an admin, who may supervise)', () => {
    expect(step({ roles: ['operator', 'operator'] }, 'people')).toMatchObject({ done: false, detail: '2 operators with a PIN, no supervisor yet' });
    expect(step({ roles: ['supervisor'] }, 'people')).toMatchObject({ done: false, detail: 'No operator yet, 1 supervisor with a password' });
    expect(step({ roles: ['operator', 'supervisor'] }, 'people').done).toBe(true);
    expect(step({ roles: ['operator', 'admin'] }, 'people').done).toBe(true);
  });

  it('ticks the break policy and the alarms once each has been saved', () => {
    const facts = { reviewedAt: { breaks: 1_700_000_000_000 } };
    expect(step(facts, 'breaks')).toMatchObject({ done: true, detail: 'Reviewed' });
    expect(step(facts, 'alarms').done).toBe(false);
  });
});
