import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nabCommand } from '../../cli/commands/nab.js';
import { synthCommand } from '../../cli/commands/synth.js';
import { tempDir } from '../replay/ndjson-files.js';

const dir = tempDir();
afterAll(() => dir.remove());
const file = dir.write('a-file.txt', ['not a directory']);

describe('output directories', () => {
  it('refuses a synth --out that is a file, naming the flag, before generating anything', async () => {
    await expect(synthCommand.run(['--out', file, '--days', '1', '--quiet'])).rejects.toMatchObject({
      code: 'HUSH_ERR_VALIDATION',
      message: expect.stringContaining(`--out ${file}: ${file} is not a directory`),
    });
  });

  it('refuses a nab run --out below a file, naming the flag and the file in the way', async () => {
    const out = join(file, 'results');
    await expect(nabCommand.run(['run', '--data', dir.dir, '--out', out, '--detector', 'gaussian-tail', '--quiet'])).rejects.toMatchObject({
      code: 'HUSH_ERR_VALIDATION',
      message: expect.stringContaining(`--out ${out}: ${file} is not a directory`),
    });
  });
});
