/**
 * Masking kubectl output (rule 8 of docs/kubectl-safety.md). Pure, no I/O.
 *
 * This is the second layer: the proxy already masked Secret values in the API server's answers (secret-masking.ts).
 * Masking works on text so that it also applies to cut or non-JSON output: JSON that parses is masked structurally
 * (json-masking.ts); YAML, cut JSON and everything else line by line (line-masking.ts); credentials anywhere
 * (credential-masking.ts). Output that was cut may have lost the `kind:` line that tells a Secret's `data` from a
 * ConfigMap's (kubectl prints `data` before `kind`): then a `data` block whose object's kind is not in the text is
 * masked too. Every step is linear in the output (any text can come out of a go-template), and none throws.
 */
import { maskCredentials } from './credential-masking.ts';
import { maskWholeJson } from './json-masking.ts';
import { dropJsonManagedFields, maskCutJson, maskYamlLike } from './line-masking.ts';
import { MASK, MASKED_DATA } from './masking.ts';

/**
 * Mask what kubectl output must never show: Secret `data`/`stringData` values, the last-applied-configuration
 * annotation (it holds the plaintext of applied Secrets), `managedFields` (stripped: noise), AccessKey ids
 * (`LTAI…`), STS tokens, kubeconfig `client-key-data`/`client-certificate-data`/`token` values, bearer tokens, JWTs.
 * @param options.cut the text is the start of a longer output (then an object's kind may be missing: see above)
 * @example maskKubectlOutput(stdout) // "data:\n  password: <masked>\n..."
 */
export function maskKubectlOutput(text: string, options: { cut?: boolean } = {}): string {
  const cut = options.cut ?? false;
  const masked = maskCredentials(maskWholeJson(text) ?? dropJsonManagedFields(maskCutJson(maskYamlLike(text, cut), cut)));
  // What the proxy put in place of a Secret data value (e.g. `-o jsonpath={.data.x}`) reads as what it is.
  return masked.replaceAll(MASKED_DATA, MASK);
}

/** Default advice for narrowing a kubectl query. */
export const NARROWING_HINT =
  'Narrow the query: -l <label-selector>, --field-selector, -n <namespace> instead of -A, -o custom-columns=..., or --tail=<lines> / --since=<duration> for logs.';
