import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { undici } from './undiciLoader';

/**
 * How long a spare connection waits unused. Servers close connections that carry no request after
 * a few seconds (uvicorn behind vLLM and llama.cpp's server after 5 s), and a socket closed just as
 * it is handed out would fail the request, so the spare is let go before that.
 */
export const SPARE_IDLE_MS = 4_000;

export interface WarmSpareOptions {
  idleMs?: number;
  /**
   * Spares kept ready. Two, because an aborted HTTP/1.1 stream makes undici ask for a connection
   * for the aborted request itself (it re-queues it before dropping it) right as the next request
   * asks for one: with a single spare, one of the two would wait for a handshake.
   */
  spares?: number;
  /** Called for every connection the connector opens, spare or not. */
  onOpen?: () => void;
  /** Called when a request is given the spare instead of waiting for a handshake. */
  onSpareUsed?: () => void;
}

export interface WarmSpareConnector extends buildConnector.connector {
  dispose(): void;
}

/**
 * An undici connector that keeps connected, idle sockets ready per origin over HTTP/1.1.
 *
 * HTTP/1.1 cannot stop a streamed answer without closing its connection, and Infill stops streams
 * all the time (the user typed on, a stop rule fired). Without a spare, the request after an
 * abort would wait for a TCP (and TLS) handshake. With HTTP/2 an aborted stream leaves the
 * connection up, so once a server negotiates h2 no spare is kept.
 */
export function createWarmSpareConnector(
  build: buildConnector.BuildOptions,
  options: WarmSpareOptions = {},
): WarmSpareConnector {
  const base = undici().buildConnector(build);
  const idleMs = options.idleMs ?? SPARE_IDLE_MS;
  const wanted = Math.max(0, options.spares ?? 2);
  const spares: { socket: Socket; timer: NodeJS.Timeout; onGone: () => void }[] = [];
  let preparing = 0;
  let multiplexed = false;
  let disposed = false;

  const detach = (entry: (typeof spares)[number]): Socket => {
    clearTimeout(entry.timer);
    entry.socket.removeListener('close', entry.onGone);
    entry.socket.removeListener('error', entry.onGone);
    entry.socket.removeListener('end', entry.onGone);
    return entry.socket;
  };

  /** The oldest spare that is still connected; dead ones are dropped on the way. */
  const release = (): Socket | undefined => {
    while (spares.length > 0) {
      const socket = detach(spares.shift()!);
      if (!socket.destroyed && socket.writable && !socket.readableEnded) return socket;
      socket.destroy();
    }
    return undefined;
  };

  const open = (opts: buildConnector.Options, callback: buildConnector.Callback): void => {
    options.onOpen?.();
    base(opts, (err, socket) => {
      if (!err && socket && (socket as TLSSocket).alpnProtocol === 'h2') multiplexed = true;
      if (err) callback(err, null);
      else callback(null, socket!);
    });
  };

  const prepare = (opts: buildConnector.Options): void => {
    while (spares.length + preparing < wanted && !multiplexed && !disposed && !opts.httpSocket) {
      preparing++;
      open(opts, (err, socket) => {
        preparing--;
        if (err || !socket) return; // no spare this time; the next request connects as usual
        if (multiplexed || disposed) {
          socket.destroy();
          return;
        }
        const entry = {
          socket,
          timer: setTimeout(() => onGone(), idleMs),
          onGone: () => onGone(),
        };
        const onGone = () => {
          const at = spares.indexOf(entry);
          if (at !== -1) detach(spares.splice(at, 1)[0]!);
          socket.destroy();
        };
        entry.timer.unref?.();
        // An idle socket's error must have a listener, or it would be thrown in the extension host.
        socket.on('error', entry.onGone);
        socket.on('close', entry.onGone);
        socket.on('end', entry.onGone);
        spares.push(entry);
      });
    }
  };

  const connector = ((opts: buildConnector.Options, callback: buildConnector.Callback): void => {
    const ready = release();
    if (ready) {
      options.onSpareUsed?.();
      // Until undici has it and listens itself, an error on the socket must still be caught.
      const noop = () => undefined;
      ready.on('error', noop);
      // undici expects the connector to answer asynchronously, as a real connect does.
      setImmediate(() => {
        ready.removeListener('error', noop);
        if (ready.destroyed || !ready.writable) {
          ready.destroy();
          open(opts, callback);
        } else {
          callback(null, ready);
        }
      });
      prepare(opts);
      return;
    }
    open(opts, (err, socket) => {
      if (err) callback(err, null);
      else callback(null, socket!);
      // Asked for a connection: another may be needed soon (the next aborted stream).
      if (!err) prepare(opts);
    });
  }) as WarmSpareConnector;
  connector.dispose = () => {
    disposed = true;
    for (const entry of spares.splice(0)) detach(entry).destroy();
  };
  return connector;
}
