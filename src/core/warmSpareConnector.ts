import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';

/**
 * How long a spare connection waits unused. Servers close connections that carry no request after
 * a few seconds (uvicorn behind vLLM and llama.cpp's server after 5 s), and a socket closed just as
 * it is handed out would fail the request, so the spare is let go before that.
 */
export const SPARE_IDLE_MS = 4_000;

export interface WarmSpareOptions {
  idleMs?: number;
  /** Called for every connection the connector opens, spare or not. */
  onOpen?: () => void;
  /** Called when a request is given the spare instead of waiting for a handshake. */
  onSpareUsed?: () => void;
}

export interface WarmSpareConnector extends buildConnector.connector {
  dispose(): void;
}

/**
 * An undici connector that keeps one connected, idle socket ready per origin over HTTP/1.1.
 *
 * HTTP/1.1 cannot stop a streamed answer without closing its connection, and Infill stops streams
 * all the time (the user typed on, a stop rule fired). Without a spare, the request after an
 * abort would wait for a TCP (and TLS) handshake. With HTTP/2 an aborted stream leaves the
 * connection up, so once a server negotiates h2 no spare is kept.
 */
export function createWarmSpareConnector(build: buildConnector.BuildOptions, options: WarmSpareOptions = {}): WarmSpareConnector {
  const base = buildConnector(build);
  const idleMs = options.idleMs ?? SPARE_IDLE_MS;
  let spare: { socket: Socket; timer: NodeJS.Timeout; onGone: () => void } | undefined;
  let preparing = false;
  let multiplexed = false;
  let disposed = false;

  const release = (): Socket | undefined => {
    if (!spare) return undefined;
    const { socket, timer, onGone } = spare;
    spare = undefined;
    clearTimeout(timer);
    socket.removeListener('close', onGone);
    socket.removeListener('error', onGone);
    socket.removeListener('end', onGone);
    return socket;
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
    if (spare || preparing || multiplexed || disposed || opts.httpSocket) return;
    preparing = true;
    open(opts, (err, socket) => {
      preparing = false;
      if (err || !socket) return; // no spare this time; the next request connects as usual
      if (multiplexed || disposed) {
        socket.destroy();
        return;
      }
      const onGone = () => {
        if (spare?.socket === socket) release();
        socket.destroy();
      };
      const timer = setTimeout(onGone, idleMs);
      timer.unref?.();
      // An idle socket's error must have a listener, or it would be thrown in the extension host.
      socket.on('error', onGone);
      socket.on('close', onGone);
      socket.on('end', onGone);
      spare = { socket, timer, onGone };
    });
  };

  const connector = ((opts: buildConnector.Options, callback: buildConnector.Callback): void => {
    const ready = release();
    if (ready && !ready.destroyed && ready.writable && !ready.readableEnded) {
      options.onSpareUsed?.();
      // undici expects the connector to answer asynchronously, as a real connect does.
      setImmediate(() => {
        if (ready.destroyed) open(opts, callback);
        else callback(null, ready);
      });
      prepare(opts);
      return;
    }
    ready?.destroy();
    open(opts, (err, socket) => {
      if (err) callback(err, null);
      else callback(null, socket!);
      // Asked for a connection: another may be needed soon (the next aborted stream).
      if (!err) prepare(opts);
    });
  }) as WarmSpareConnector;
  connector.dispose = () => {
    disposed = true;
    release()?.destroy();
  };
  return connector;
}
