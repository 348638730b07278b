/**
 * What create_cluster_diagnosis tells agents about `target` is what validateTarget enforces: the description lists,
 * per type, exactly the fields accepted (optional ones marked `?`), and any other field is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ToolFailure } from '../../errors/tool-failure.ts';
import { createClusterDiagnosisTool, DIAGNOSIS_TARGETS, validateTarget } from './diagnosis.tools.ts';

const description = (createClusterDiagnosisTool as unknown as { description: string }).description;

test('the description lists, per diagnosis type, exactly the target fields that are accepted', () => {
  for (const [type, { shape, example }] of Object.entries(DIAGNOSIS_TARGETS)) {
    const listed = new RegExp(`\\b${type} \\{([^}]*)\\}`).exec(description)?.[1];
    assert.ok(listed, `${type} is described`);
    const fields = Object.entries(shape).map(([name, schema]) => `${name}${(schema as { isOptional(): boolean }).isOptional() ? '?' : ''}`);
    assert.deepEqual(listed.split(', '), fields, type);
    assert.deepEqual(
      Object.keys(validateTarget(type as keyof typeof DIAGNOSIS_TARGETS, { ...example })),
      Object.keys(example),
      `${type}: its example is accepted`,
    );
    assert.throws(
      () => validateTarget(type as keyof typeof DIAGNOSIS_TARGETS, { ...example, extra: 'x' }),
      (error: unknown) => error instanceof ToolFailure && /unexpected field\(s\) extra/.test(error.message),
    );
  }
});
