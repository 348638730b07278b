/** What serving a request with the SDK gives the HTTP layer, and the stream wrapper that tells when an answer was sent. */

export interface SdkAnswer {
  response: Response;
  /** Resolves when the answer has been sent (or the client went away) and every call has settled. */
  finished: Promise<void>;
}

/** `body` that calls `onEnd` once, when it has been read to the end, failed, or was cancelled. */
export function untilEnd(body: ReadableStream<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          end();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        controller.error(error);
        end();
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}
