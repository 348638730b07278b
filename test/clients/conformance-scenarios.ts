/**
 * Every server scenario of the pinned `@modelcontextprotocol/conformance` active suite, and what
 * this server owes it. The README's conformance table says the same (a test keeps both in step).
 * Most scenarios call fixtures of the suite's reference server (tools `test_*`, prompts, resources
 * under `test://`) that an ACK server has no reason to carry: they are not applicable.
 */
export type Verdict =
  /** The server offers the feature: the scenario must pass. */
  | { expect: 'pass'; why: string }
  /** Work on another branch makes it pass; until then it may fail. */
  | { expect: 'pending'; why: string }
  /** Tests a fixture or a feature this server does not offer. */
  | { expect: 'not applicable'; why: string };

const pass = (why: string): Verdict => ({ expect: 'pass', why });
const _pending = (why: string): Verdict => ({ expect: 'pending', why });
const notApplicable = (why: string): Verdict => ({ expect: 'not applicable', why });

const fixtureTool = (name: string, what: string) => notApplicable(`calls the suite's fixture tool \`${name}\` (${what})`);
const fixturePrompt = (name: string) => notApplicable(`gets the suite's fixture prompt \`${name}\``);
const fixtureResource = (what: string) => notApplicable(`reads the suite's fixture ${what}`);

export const SCENARIOS: Record<string, Verdict> = {
  'server-initialize': pass('initialize: server info, capabilities, protocol version'),
  ping: pass('ping'),
  'tools-list': pass('every tool definition is valid'),
  'tools-call-simple-text': pass(
    'a tools/call result carries text content (checked on the unknown-tool result: the fixture tool `test_simple_text` does not exist here)',
  ),
  'tools-call-error': pass(
    'a failing call is an `isError` result, not a JSON-RPC error (checked on the unknown fixture tool `test_error_handling`)',
  ),
  'server-sse-multiple-streams': pass('nothing to check on a server without sessions (stateless): it must not fail'),
  'tools-call-image': fixtureTool('test_image_content', 'the server answers text and structured content only'),
  'tools-call-audio': fixtureTool('test_audio_content', 'the server answers text and structured content only'),
  'tools-call-embedded-resource': fixtureTool('test_embedded_resource', 'the server answers text and structured content only'),
  'tools-call-mixed-content': fixtureTool('test_multiple_content_types', 'the server answers text and structured content only'),
  'tools-call-with-logging': fixtureTool('test_tool_with_logging', 'the server sends no log notifications'),
  'tools-call-with-progress': fixtureTool('test_tool_with_progress', "the server's own waiting tools stream progress; tested in test/e2e"),
  'tools-call-sampling': fixtureTool('test_sampling', 'the server never asks the client to sample'),
  'tools-call-elicitation': fixtureTool(
    'test_elicitation',
    "confirmations of destructive writes use elicitation on the server's own tools",
  ),
  'elicitation-sep1034-defaults': fixtureTool('test_elicitation_sep1034_defaults', 'elicitation defaults'),
  'elicitation-sep1330-enums': fixtureTool('test_elicitation_sep1330_enums', 'elicitation enums'),
  'completion-complete': notApplicable("completes an argument of the suite's fixture prompt; the server offers no completions"),
  'logging-set-level': notApplicable('the server does not offer the logging capability (stateless: no stream to send log messages on)'),
  'resources-read-text': fixtureResource('resource `test://static-text`'),
  'resources-read-binary': fixtureResource('resource `test://static-binary`'),
  'resources-templates-read': fixtureResource('resource template `test://template/{id}/data`'),
  'resources-subscribe': notApplicable('subscribes to a fixture resource; subscriptions need a session (the server is stateless)'),
  'resources-unsubscribe': notApplicable('unsubscribes from a fixture resource; subscriptions need a session (the server is stateless)'),
  'prompts-get-simple': fixturePrompt('test_simple_prompt'),
  'prompts-get-with-args': fixturePrompt('test_prompt_with_arguments'),
  'prompts-get-embedded-resource': fixturePrompt('test_prompt_with_embedded_resource'),
  'prompts-get-with-image': fixturePrompt('test_prompt_with_image'),
  'prompts-list': pass("prompts/list: the server's guided workflows (troubleshoot_workload, nodepool_capacity, before_upgrade)"),
  'resources-list': pass("resources/list: answered (empty: the server's data comes from tools)"),
  'dns-rebinding-protection': pass(
    'Origin and Host validated (ALLOWED_ORIGINS / ALLOWED_HOSTS set to the loopback address, as for a local deployment)',
  ),
};
