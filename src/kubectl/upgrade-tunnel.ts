/**
 * The raw side of the loopback proxy: exec/attach/port-forward ask to upgrade the connection (WebSocket or SPDY).
 * Once Node's HTTP server hands over an upgraded socket it no longer handles that socket's errors, so everything
 * here owns an error path: a reset on either side, at any moment, closes both sides and never reaches the process.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
import { responseHeaders } from './proxy-headers.ts';
import { statusBody } from './rest-policy.ts';

/** Answer an upgrade request with a plain HTTP error (a Kubernetes `Status`) and close the connection. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = statusBody({ status, reason, message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export interface RelayOptions {
  /** kubectl's upgraded socket, and the bytes it sent past the request head. */
  socket: Duplex;
  head: Buffer;
  /** The request to the API server, not yet ended. */
  upstream: ClientRequest;
  /** Called once: the API server's status (101 or another), 502 when it could not be reached, 499 when kubectl left first. */
  onAnswer(status: number): void;
  /** Register the tunnel's cut with the session; returns its unregistration. */
  track(cut: () => void): () => void;
}

function head(answer: IncomingMessage, lines: string[]): string {
  return `${[`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage ?? ''}`, ...lines].join('\r\n')}\r\n\r\n`;
}

/** Send the upgrade request and relay the answer: a 101 becomes a two-way tunnel, anything else a closing response. */
export function relayUpgrade({ socket, head: clientHead, upstream, onAnswer, track }: RelayOptions): void {
  let upSocket: Duplex | undefined;
  let answered = false;
  const cut = () => {
    upstream.destroy();
    upSocket?.destroy();
    socket.destroy();
  };
  const untrack = track(cut);
  socket.on('error', cut);
  socket.on('close', () => {
    untrack();
    cut();
  });

  upstream.on('upgrade', (answer: IncomingMessage, up: Duplex, upHead: Buffer) => {
    answered = true;
    upSocket = up;
    up.on('error', cut);
    up.on('close', cut);
    onAnswer(answer.statusCode ?? 101);
    if (socket.destroyed) {
      up.destroy(); // kubectl left while the API server was answering
      return;
    }
    const lines: string[] = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    socket.write(head(answer, lines));
    if (upHead.length) socket.write(upHead);
    if (clientHead.length) up.write(clientHead);
    up.pipe(socket).pipe(up);
  });
  upstream.on('response', (answer: IncomingMessage) => {
    answered = true;
    onAnswer(answer.statusCode ?? 502);
    if (socket.destroyed) {
      answer.resume();
      return;
    }
    const lines = Object.entries(responseHeaders(answer.headers)).map(
      ([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`,
    );
    socket.write(head(answer, [...lines, 'connection: close']));
    pipeline(answer, socket, (error) => {
      if (error) cut();
    });
  });
  upstream.on('error', () => {
    if (answered || socket.destroyed) {
      if (!answered) onAnswer(499);
      answered = true;
      cut();
      return;
    }
    answered = true;
    onAnswer(502);
    refuseUpgrade(socket, 502, 'Bad Gateway', "the MCP server could not reach the cluster's API server");
  });
  upstream.end();
}
