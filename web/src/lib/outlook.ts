import { fatigueSignText, type FatigueSign, type PaceForecastView } from '$protocol/outlook';
import { timeOfDay } from './time.svelte';

/** A span of work, as a person says it: "22 min", "1 h 05 min". */
export function spanOf(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The hint the tablet shows: what changed, by how much, against what. */
export function fatigueHint(sign: FatigueSign): string {
  const against = sign.against === 'first-hour' ? 'your first hour' : 'your earlier sessions';
  return `Signs of fatigue: ${fatigueSignText(sign)} vs ${against}`;
}

/** The plan's finish with its range: "≈ 15:40 (15:20–16:05)". */
export function finishText(forecast: PaceForecastView): string {
  return `≈ ${timeOfDay(forecast.finishAt)} (${timeOfDay(forecast.earliest)}–${timeOfDay(forecast.latest)})`;
}

/** What stops the plan, and when: "the session length limit at 16:00". */
export function limitText(forecast: PaceForecastView): string {
  const what = forecast.limit === 'day' ? "the day's needle time runs out" : 'the session length limit';
  return forecast.limitAt === null ? what : `${what} at ${timeOfDay(forecast.limitAt)}`;
}
