import { clinicProfile } from '../protocol/setup.ts';
import type { SettingsStore } from '../store/settings.ts';

/** The clinic's name, shown on the wall; none until an admin names the clinic. */
export const clinicSetting = (settings: SettingsStore) => settings.json('clinic', clinicProfile.nullable(), null);
