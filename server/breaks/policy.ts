import { breakPolicy, defaultBreakPolicy, type BreakPolicy } from '../protocol/breaks.ts';
import type { SettingsStore } from '../store/settings.ts';

const KEY = 'breaks';

/** The clinic's break policy, or the defaults (docs/breaks.md) until the supervisor sets one. */
export function breakPolicyOf(settings: SettingsStore): BreakPolicy {
  const stored = settings.get(KEY);
  const parsed = stored ? breakPolicy.safeParse(JSON.parse(stored)) : undefined;
  return parsed?.success ? parsed.data : defaultBreakPolicy;
}

export function saveBreakPolicy(settings: SettingsStore, policy: BreakPolicy): void {
  settings.set(KEY, JSON.stringify(policy));
}
