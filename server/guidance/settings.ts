import { defaultGuidanceSettings, guidanceSettings } from '../protocol/guidance.ts';
import type { SettingsStore } from '../store/settings.ts';

/** The clinic's guidance thresholds, or the defaults until a supervisor sets them. */
export const guidanceSetting = (settings: SettingsStore) => settings.json('guidance', guidanceSettings, defaultGuidanceSettings);
