import cliProgress from 'cli-progress';
import type { FitOptions } from '../../models/scorer.ts';

/**
 * Epoch progress for a model fit: a progress bar on a terminal, one line per few epochs
 * otherwise (logs, CI), nothing when `quiet` or LEADSCORE_QUIET=1. Returns the callback and
 * a `stop` to call when fitting ends.
 */
export function fitProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): {
  onProgress: NonNullable<FitOptions['onProgress']>;
  stop: () => void;
} {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || process.env.LEADSCORE_QUIET === '1') return { onProgress: () => {}, stop: () => {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'fitting [{bar}] {value}/{total} epochs  loss {loss}  validation {valLoss}',
        stream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress: (p) => {
        const payload = { loss: p.loss.toFixed(4), valLoss: p.valLoss?.toFixed(4) ?? '-' };
        if (!started) {
          bar.start(p.epochs, p.epoch, payload);
          started = true;
        } else bar.update(p.epoch, payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    onProgress: (p) => {
      if (p.epoch === 1 || p.epoch - last >= 10) {
        last = p.epoch;
        stream.write(
          `epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}${p.valLoss === undefined ? '' : `  validation ${p.valLoss.toFixed(4)}`}\n`,
        );
      }
    },
    stop: () => {},
  };
}

/** A batch command's progress: the phase it is in, and how far a phase that counts has come. */
export interface PhaseProgress {
  /** Starts a phase (reading, features, fitting, calibrating, evaluating, writing...). */
  phase(name: string): void;
  /** Within the current phase: `done` of `total` `unit` (e.g. leads), and a `note` after the rate. */
  count(done: number, total: number, unit: string, note?: string): void;
  /** Ends the last phase. */
  stop(): void;
}

const QUIET: PhaseProgress = { phase: () => {}, count: () => {}, stop: () => {} };

/**
 * Phases and counts on `stream` (stderr): a progress bar on a terminal, plain lines
 * otherwise (logs, CI: a count at most every 2 s), nothing when `quiet`. A run that ends
 * within `after` ms (2 s) prints nothing: only long runs show where they are. The
 * environment variable LEADSCORE_QUIET=1 silences it as `--quiet` does (for scheduled jobs).
 */
export function phaseProgress(
  options: { quiet?: boolean; stream?: NodeJS.WriteStream; after?: number } = {},
): PhaseProgress {
  if (options.quiet || process.env.LEADSCORE_QUIET === '1') return QUIET;
  const stream = options.stream ?? process.stderr;
  const after = options.after ?? 2000;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  let current = '';
  let shown = false;
  let phaseStart = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let lastLine = 0;
  const endBar = () => {
    bar?.stop();
    bar = null;
  };
  const show = () => {
    if (current && !shown) {
      shown = true;
      stream.write(`leadscore: ${current} (${elapsed()})\n`);
    }
  };
  const timer = setTimeout(show, after);
  timer.unref();
  return {
    phase(name) {
      endBar();
      current = name;
      phaseStart = Date.now();
      shown = false;
      if (Date.now() - started >= after) show();
    },
    count(done, total, unit, note) {
      const tail = note ? `  ${note}` : '';
      if (Date.now() - started < after) return;
      show();
      const rate = Math.round(done / Math.max(0.001, (Date.now() - phaseStart) / 1000));
      if (stream.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: `${current} [{bar}] {value}/{total} ${unit}  {rate}/s{note}`,
              stream,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done, { rate, note: tail });
        } else bar.update(done, { rate, note: tail });
        return;
      }
      if (done < total && Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      stream.write(`leadscore: ${current} ${done}/${total} ${unit} (${rate}/s)${tail ? `,${tail.slice(1)}` : ''}\n`);
    },
    stop() {
      clearTimeout(timer);
      endBar();
      if (current && Date.now() - started >= after) stream.write(`leadscore: done (${elapsed()})\n`);
      current = '';
    },
  };
}

/** Runs `run` with a command's phases on stderr (see phaseProgress), stopped when it ends, however it ends. */
export async function withPhases<T>(
  quiet: boolean | undefined,
  run: (phases: PhaseProgress) => Promise<T>,
): Promise<T> {
  const phases = phaseProgress({ quiet });
  try {
    return await run(phases);
  } finally {
    phases.stop();
  }
}
