import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonFile } from '../../../pipelines/io/read-json-file.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const Schema = z.object({ n: z.number(), items: z.array(z.number()) }).strict();

describe('readJsonFile', () => {
  const tmp = tempDir();

  it('reads and validates a file', async () => {
    const file = tmp.write('ok.json', '{"n": 1, "items": [2, 3]}');
    await expect(readJsonFile(file, Schema)).resolves.toEqual({ n: 1, items: [2, 3] });
  });

  it('names the file when it is missing, unless a default is given', async () => {
    const file = path.join(tmp.dir, 'absent.json');
    await expect(readJsonFile(file, Schema)).rejects.toThrow(`${file}: cannot read file (ENOENT)`);
    await expect(readJsonFile(file, Schema, { ifMissing: () => ({ n: 0, items: [] }) })).resolves.toEqual({
      n: 0,
      items: [],
    });
  });

  it('names the file when it is not JSON', async () => {
    const file = tmp.write('bad.json', '{"n": 1,');
    await expect(readJsonFile(file, Schema)).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: `),
    );
  });

  it('names the bad fields, counting those beyond maxIssues', async () => {
    const file = tmp.write('fields.json', '{"n": "one", "items": ["a", "b", "c"]}');
    await expect(readJsonFile(file, Schema, { what: 'not a thing' })).rejects.toThrow(
      /fields\.json: not a thing: n: .*items\.0: .*items\.2: /,
    );
    await expect(readJsonFile(file, Schema, { maxIssues: 2 })).rejects.toThrow(
      /fields\.json: n: .*items\.0: .*\(and 2 more\)$/,
    );
  });
});
