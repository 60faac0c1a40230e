/// <reference lib="dom" />
/** Short WebAudio tones, one pattern per scan outcome, so a clerk hears the result without looking. */
export type Tone = 'ok' | 'location' | 'here' | 'duplicate' | 'error' | 'disposed' | 'done';

const PATTERNS: Record<Tone, [freq: number, ms: number][]> = {
  ok: [[1046, 90]],
  location: [
    [660, 70],
    [990, 110],
  ],
  here: [
    [784, 60],
    [784, 60],
  ],
  duplicate: [
    [523, 60],
    [523, 60],
    [523, 60],
  ],
  error: [[196, 380]],
  disposed: [
    [247, 160],
    [185, 260],
  ],
  done: [
    [784, 80],
    [988, 80],
    [1318, 140],
  ],
};

let ctx: AudioContext | null = null;

export function beep(tone: Tone): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    let at = ctx.currentTime + 0.01;
    for (const [freq, ms] of PATTERNS[tone]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = tone === 'error' || tone === 'disposed' ? 'square' : 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + ms / 1000);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + ms / 1000 + 0.02);
      at += ms / 1000 + 0.04;
    }
  } catch {
    // no audio device: the visible feedback still says it
  }
}
