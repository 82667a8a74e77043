import { alarmSettings, defaultAlarmSettings } from '../protocol/alarms.ts';
import type { SettingsStore } from '../store/settings.ts';

/** The clinic's alarm settings (audible cue, escalation delay, longest silence). */
export const alarmSetting = (settings: SettingsStore) => settings.json('alarms', alarmSettings, defaultAlarmSettings);
