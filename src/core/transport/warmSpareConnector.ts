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
  const spares = new SpareSockets(undici().buildConnector(build), options);
  const connector = ((opts: buildConnector.Options, callback: buildConnector.Callback): void =>
    spares.connect(opts, callback)) as WarmSpareConnector;
  connector.dispose = () => spares.dispose();
  return connector;
}

interface Spare {
  socket: Socket;
  timer: NodeJS.Timeout;
  onGone: () => void;
}

/** The spares of one connector and how a connection is answered: a ready spare first, else a fresh connect. */
class SpareSockets {
  private readonly spares: Spare[] = [];
  private readonly idleMs: number;
  private readonly wanted: number;
  private preparing = 0;
  private multiplexed = false;
  private disposed = false;

  constructor(
    private readonly base: buildConnector.connector,
    private readonly options: WarmSpareOptions,
  ) {
    this.idleMs = options.idleMs ?? SPARE_IDLE_MS;
    this.wanted = Math.max(0, options.spares ?? 2);
  }

  connect(opts: buildConnector.Options, callback: buildConnector.Callback): void {
    const ready = this.release();
    if (ready) {
      this.options.onSpareUsed?.();
      this.handOut(ready, opts, callback);
      this.prepare(opts);
      return;
    }
    this.open(opts, (err, socket) => {
      if (err) callback(err, null);
      else callback(null, socket!);
      // Asked for a connection: another may be needed soon (the next aborted stream).
      if (!err) this.prepare(opts);
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.spares.splice(0)) this.detach(entry).destroy();
  }

  private handOut(ready: Socket, opts: buildConnector.Options, callback: buildConnector.Callback): void {
    // Until undici has it and listens itself, an error on the socket must still be caught.
    const noop = () => undefined;
    ready.on('error', noop);
    // undici expects the connector to answer asynchronously, as a real connect does.
    setImmediate(() => {
      ready.removeListener('error', noop);
      if (ready.destroyed || !ready.writable) {
        ready.destroy();
        this.open(opts, callback);
      } else {
        callback(null, ready);
      }
    });
  }

  private detach(entry: Spare): Socket {
    clearTimeout(entry.timer);
    entry.socket.removeListener('close', entry.onGone);
    entry.socket.removeListener('error', entry.onGone);
    entry.socket.removeListener('end', entry.onGone);
    return entry.socket;
  }

  /** The oldest spare that is still connected; dead ones are dropped on the way. */
  private release(): Socket | undefined {
    while (this.spares.length > 0) {
      const socket = this.detach(this.spares.shift()!);
      if (!socket.destroyed && socket.writable && !socket.readableEnded) return socket;
      socket.destroy();
    }
    return undefined;
  }

  private open(opts: buildConnector.Options, callback: buildConnector.Callback): void {
    this.options.onOpen?.();
    this.base(opts, (err, socket) => {
      if (!err && socket && (socket as TLSSocket).alpnProtocol === 'h2') this.multiplexed = true;
      if (err) callback(err, null);
      else callback(null, socket!);
    });
  }

  private prepare(opts: buildConnector.Options): void {
    while (
      this.spares.length + this.preparing < this.wanted &&
      !this.multiplexed &&
      !this.disposed &&
      !opts.httpSocket
    ) {
      this.preparing++;
      this.open(opts, (err, socket) => {
        this.preparing--;
        if (err || !socket) return; // no spare this time; the next request connects as usual
        if (this.multiplexed || this.disposed) {
          socket.destroy();
          return;
        }
        this.keep(socket);
      });
    }
  }

  /** Keeps `socket` until it is handed out, its idle time is up, or the server closes it. */
  private keep(socket: Socket): void {
    const entry: Spare = {
      socket,
      timer: setTimeout(() => onGone(), this.idleMs),
      onGone: () => onGone(),
    };
    const onGone = () => {
      const at = this.spares.indexOf(entry);
      if (at !== -1) this.detach(this.spares.splice(at, 1)[0]!);
      socket.destroy();
    };
    entry.timer.unref?.();
    // An idle socket's error must have a listener, or it would be thrown in the extension host.
    socket.on('error', entry.onGone);
    socket.on('close', entry.onGone);
    socket.on('end', entry.onGone);
    this.spares.push(entry);
  }
}
