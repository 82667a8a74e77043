/**
 * The audible cue of a high alarm: a burst of three short tones every two seconds, in the manner of
 * IEC 60601-1-8's high-priority signal. Returns the function that stops it. Browsers allow sound
 * only after the page has been touched; until then the cue stays silent and the screen carries it.
 */
export function soundHighAlarm(): () => void {
  if (typeof AudioContext === 'undefined') return () => {};
  const context = new AudioContext();
  const burst = () => {
    for (let i = 0; i < 3; i++) {
      const start = context.currentTime + i * 0.2;
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, start);
      gain.gain.setValueAtTime(0, start + 0.12);
      tone.connect(gain).connect(context.destination);
      tone.start(start);
      tone.stop(start + 0.12);
    }
  };
  burst();
  const timer = setInterval(burst, 2_000);
  return () => {
    clearInterval(timer);
    void context.close();
  };
}
