import cliProgress from 'cli-progress';
import type { FitOptions } from '../../models/scorer.ts';

/**
 * Epoch progress for a model fit: a progress bar on a terminal, one line per few epochs
 * otherwise (logs, CI). Returns the callback and a `stop` to call when fitting ends.
 */
export function fitProgress(stream: NodeJS.WriteStream = process.stderr): { onProgress: NonNullable<FitOptions['onProgress']>; stop: () => void } {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'fitting [{bar}] {value}/{total} epochs  loss {loss}  validation {valLoss}', stream, hideCursor: true, clearOnComplete: false },
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
        stream.write(`epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}${p.valLoss === undefined ? '' : `  validation ${p.valLoss.toFixed(4)}`}\n`);
      }
    },
    stop: () => {},
  };
}
