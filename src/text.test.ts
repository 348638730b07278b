import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NARROWING_HINT } from './kubectl/output-filter.ts';
import { boundText, cutShort, truncationMarker, truncationNote } from './text.ts';

describe('the one way to cut text and say so', () => {
  it('cutShort keeps short values and marks a cut one with an ellipsis', () => {
    assert.equal(cutShort('cn-hangzhou', 40), 'cn-hangzhou');
    assert.equal(cutShort('x'.repeat(50), 40), `${'x'.repeat(40)}…`);
  });

  it('truncationMarker says how much was left out and how to narrow', () => {
    assert.equal(truncationMarker(4096, 'bytes', 'Use --tail=100.'), '[truncated: 4096 more bytes not shown; Use --tail=100.]');
    assert.match(truncationMarker(1, 'bytes', NARROWING_HINT), /-l <label-selector>, --field-selector/);
    assert.equal(truncationNote('more rows match'), '[truncated: more rows match]');
  });

  it('boundText cuts at the limit and ends with the marker on its own line', () => {
    assert.equal(boundText('short', 10), 'short');
    assert.equal(
      boundText('0123456789abc', 10, 'see structuredContent'),
      '0123456789\n[truncated: 3 more characters not shown; see structuredContent]',
    );
  });
});
