import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateColumns, type AggregateMeasure } from '../../../features/event-aggregates.ts';
import { eventAggregateOptions } from '../../../features/event-options.ts';
import { cellAt, frameColumn } from '../../../features/frame.ts';
import { diyFeaturesSql } from '../../../pipelines/bench/diy-pipeline.ts';
import { loadDatasetConfig, type LoadedConfig } from '../../../pipelines/config/load-config.ts';
import { openDuckDb, queryRows } from '../../../pipelines/io/duckdb.ts';
import { writeSyntheticFunnel } from '../../../pipelines/synth/write-funnel.ts';
import { prepareData, type PreparedData } from '../../../pipelines/train/prepare-data.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** The do-it-yourself table's column for one of our aggregates. */
function diyColumn(m: AggregateMeasure): string {
  switch (m.kind) {
    case 'count':
      return `${m.type ?? 'events'}${m.windowDays ? `_${m.windowDays}d` : ''}`;
    case 'days_since_last':
      return m.type ? `${m.type}_days_since_last` : 'days_since_last';
    case 'decayed':
      return `${m.type}_decayed`;
    case 'sum':
      return `${m.type}_${m.property}`;
    default:
      return m.kind;
  }
}

describe("the do-it-yourself pipeline's SQL", () => {
  const { dir } = tempDir('leadscore-diy-');
  let loaded: LoadedConfig;
  let ours: PreparedData;
  let diy: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    await writeSyntheticFunnel({ leads: 2000, out: dir, seed: 3 });
    const funnel = readFileSync(path.resolve(import.meta.dirname, '../../../pipelines/configs/synthetic-funnel.yaml'));
    const config = path.join(dir, 'funnel.yaml');
    writeFileSync(
      config,
      String(funnel)
        .replaceAll('../../data/synthetic-funnel', dir)
        .replace(/^rules: .*$/m, ''),
    );
    loaded = await loadDatasetConfig(config);
    ours = await prepareData(loaded);
    const conn = await openDuckDb();
    try {
      diy = new Map((await queryRows(conn, diyFeaturesSql(loaded.config))).map((r) => [String(r.lead_id), r]));
    } finally {
      conn.closeSync();
    }
  });

  it('keeps the leads of the point-in-time set, with the same labels', () => {
    const { frame } = ours;
    expect(frame.label!.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect([...diy.keys()].sort()).toEqual([...frame.ids].sort());
    for (let i = 0; i < frame.rowCount; i++)
      expect(Number(diy.get(frame.ids[i]!)!.label), frame.ids[i]).toBe(frame.label![i]);
  });

  it('computes every event aggregate as `train` does (empty where a lead has no such event)', () => {
    const { frame } = ours;
    let compared = 0;
    for (const { name, measure } of aggregateColumns(eventAggregateOptions(loaded.config.events!))) {
      const column = frameColumn(frame, name)!;
      const empty =
        measure.kind === 'days_since_last' || measure.kind === 'days_since_first' || measure.kind === 'last_type'
          ? null
          : 0;
      for (let i = 0; i < frame.rowCount; i++) {
        const want = cellAt(column, i);
        const raw = diy.get(frame.ids[i]!)![diyColumn(measure)];
        const got = raw === null ? empty : typeof want === 'number' ? Number(raw) : raw;
        if (typeof want === 'number' && typeof got === 'number')
          expect(Math.abs(got - want), `${frame.ids[i]} ${name}`).toBeLessThanOrEqual(1e-9 * Math.max(1, want));
        else expect(got, `${frame.ids[i]} ${name}`).toEqual(want);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(frame.rowCount * 60);
  });
});
