import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAiAnswer } from './assistant.ts';

describe('parseAiAnswer', () => {
  it('takes the text after the answer marker and the first fenced block as the query', () => {
    const raw =
      'question: x\nregion: cn-hangzhou\n------answer------\nWarnings by reason:\n```sql\nlevel: Warning | SELECT reason\n```\nmore words';
    assert.deepEqual(parseAiAnswer(raw), {
      answer: 'Warnings by reason:\n```sql\nlevel: Warning | SELECT reason\n```\nmore words',
      query: 'level: Warning | SELECT reason',
    });
  });

  it('uses the whole answer when there is no marker or no fenced block', () => {
    assert.deepEqual(parseAiAnswer('  up == 0  '), { answer: 'up == 0', query: 'up == 0' });
  });
});

describe('the deprecated CallAiTools helpers stand alone', () => {
  it('nothing but the three helper tools imports the assistant, and each says the API is deprecated', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const importers: string[] = [];
    for (const file of files) {
      if (/from '\.\/assistant\.ts'|from '.*\/assistant\.ts'/.test(await readFile(join(root, file), 'utf8'))) importers.push(file);
    }
    assert.deepEqual(importers, [join('tools', 'observability', 'assistant.tools.ts')]);
    const { slsTranslateTextToSqlTool, slsDiagnoseQueryTool, cmsTranslateTextToPromqlTool } = await import('./assistant.tools.ts');
    for (const tool of [slsTranslateTextToSqlTool, slsDiagnoseQueryTool, cmsTranslateTextToPromqlTool]) {
      assert.match(tool.description, /Alibaba has deprecated (the|this) AI tool/, tool.name);
    }
  });
});
