import { breakPolicy, defaultBreakPolicy } from '../protocol/breaks.ts';
import type { SettingsStore } from '../store/settings.ts';

/** The clinic's break policy, or the defaults (docs/breaks.md) until a supervisor sets one. */
export const breakPolicySetting = (settings: SettingsStore) => settings.json('breaks', breakPolicy, defaultBreakPolicy);
