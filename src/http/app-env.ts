/** Per-request state kept on Hono's context. */
import type { CallerUser } from '../auth/caller-user.ts';

export interface AppEnv {
  Variables: {
    caller: { tokenName: string; readOnly: boolean; user?: CallerUser | undefined };
    rejection: string;
    /** Fields added to this request's log line by later stages. */
    logFields: Record<string, unknown>;
    /** Set when the answer is a stream: the log line is written when it resolves (the stream ended). */
    answered: Promise<void>;
  };
}
