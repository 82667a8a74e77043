import { defaultGuidanceSettings, guidanceSettings, type GuidanceSettings } from '../protocol/guidance.ts';
import type { SettingsStore } from '../store/settings.ts';

const KEY = 'guidance';

/** The clinic's guidance settings, or the defaults for any it has not set. */
export function guidanceSettingsOf(settings: SettingsStore): GuidanceSettings {
  const stored = settings.get(KEY);
  const parsed = stored ? guidanceSettings.partial().safeParse(JSON.parse(stored)) : undefined;
  return { ...defaultGuidanceSettings, ...(parsed?.success ? parsed.data : {}) };
}

export function saveGuidanceSettings(settings: SettingsStore, value: GuidanceSettings): void {
  settings.set(KEY, JSON.stringify(value));
}
