import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAiAnswer } from './assistant.ts';

describe('parseAiAnswer', () => {
  it('takes the text after the answer marker and the first fenced block as the query', () => {
    const raw = 'question: x\nregion: cn-hangzhou\n------answer------\nWarnings by reason:\n```sql\nlevel: Warning | SELECT reason\n```\nmore words';
    assert.deepEqual(parseAiAnswer(raw), { answer: 'Warnings by reason:\n```sql\nlevel: Warning | SELECT reason\n```\nmore words', query: 'level: Warning | SELECT reason' });
  });

  it('uses the whole answer when there is no marker or no fenced block', () => {
    assert.deepEqual(parseAiAnswer('  up == 0  '), { answer: 'up == 0', query: 'up == 0' });
  });
});
