/**
 * What the emulator saw: one entry per request, recorded when the request arrives (in arrival
 * order) and completed when it is answered, so a call whose answer is still held back (a `slow`
 * fault) is already visible.
 */

export interface CallRecord {
  seq: number;
  time: number;
  product: string;
  action: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The AccessKey id that signed the request (empty when unsigned or unparseable). */
  accessKeyId: string;
  accountId?: string;
  /** The endpoint that received it: `central`, or the region id of a regional endpoint. */
  endpoint?: string;
  /** HTTP status of the answer; 0 while the answer has not been written yet. */
  status: number;
  errorCode?: string;
  fault?: string;
  /** The parsed JSON body, for products whose operations take one (Log Service CallAiTools). */
  body?: unknown;
  /** The `x-log-compresstype` of the answer, when the product compressed it. */
  encoding?: string;
  /** The Host header (Log Service routes projects by it). */
  host?: string;
}

export type CallOutcome = Partial<Pick<CallRecord, 'status' | 'errorCode' | 'fault' | 'accountId'>>;

export class CallLog {
  readonly records: CallRecord[] = [];
  private seq = 0;

  add(record: Omit<CallRecord, 'seq'>): CallRecord {
    this.seq += 1;
    const entry = { ...record, seq: this.seq };
    this.records.push(entry);
    return entry;
  }

  /** Completes an entry recorded at arrival with what was answered. */
  settle(entry: CallRecord, outcome: CallOutcome): void {
    Object.assign(entry, outcome);
  }

  /** Records of one action (e.g. `ScaleClusterNodePool`). */
  of(action: string): CallRecord[] {
    return this.records.filter((record) => record.action === action);
  }

  clear(): void {
    this.records.length = 0;
  }
}
