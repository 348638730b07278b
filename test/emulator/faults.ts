/**
 * Fault injection. A fault matches an action (or every action of a product), fires a bounded
 * number of times, and is one of:
 * - `throttle`: rejected before the operation with `Throttling.User` (HTTP 400);
 * - `server-error`: rejected before the operation with HTTP 500 `InternalError` (or 503 `ServiceUnavailable`);
 * - `slow`: the operation happens, then the answer is held back `delayMs` (a client timeout
 *   then leaves the caller not knowing the outcome);
 * - `partial`: the operation answers, but says its result is partial (Log Service: `progress: Incomplete`).
 */
export type FaultKind = 'throttle' | 'server-error' | 'service-unavailable' | 'slow' | 'partial';

export interface FaultSpec {
  kind: FaultKind;
  /** Action name such as `DescribeClusterNodePools`; omitted means every action of `product`. */
  action?: string;
  product?: string;
  /** How many matching requests it affects (default 1). */
  times?: number;
  delayMs?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultInjector {
  private readonly active: ActiveFault[] = [];

  inject(spec: FaultSpec): void {
    this.active.push({ ...spec, remaining: spec.times ?? 1 });
  }

  /** Takes the first fault matching this request, consuming one of its uses. */
  take(product: string, action: string): FaultSpec | undefined {
    const index = this.active.findIndex(
      (fault) => (!fault.product || fault.product === product) && (!fault.action || fault.action === action),
    );
    if (index < 0) return undefined;
    const fault = this.active[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault;
  }

  clear(): void {
    this.active.length = 0;
  }
}
