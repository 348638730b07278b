/** Kubernetes names as tool arguments: checked before anything is sent (they become API-server paths). */
import { z } from 'zod';

export const namespaceArg = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name such as default or kube-system');

export const objectNameArg = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes object name such as web');
