import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createWarmSpareConnector } from '../../../src/core/transport/warmSpareConnector';

interface CountingServer {
  port: number;
  accepted: number;
  closed: number;
  close(): Promise<void>;
}

async function countingServer(): Promise<CountingServer> {
  const sockets = new Set<net.Socket>();
  const state = { accepted: 0, closed: 0 };
  const server = net.createServer((socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on('close', () => {
      state.closed++;
      sockets.delete(socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return state.accepted;
    },
    get closed() {
      return state.closed;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

function connect(connector: ReturnType<typeof createWarmSpareConnector>, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    connector({ hostname: '127.0.0.1', protocol: 'http:', port: String(port) }, (err, socket) =>
      err ? reject(err) : resolve(socket!),
    );
  });
}

describe('createWarmSpareConnector', () => {
  it('opens one spare after a connection is asked for, and hands it to the next request', async () => {
    const server = await countingServer();
    let used = 0;
    const connector = createWarmSpareConnector({}, { spares: 1, onSpareUsed: () => used++ });
    const first = await connect(connector, server.port);
    await until(() => server.accepted === 2);
    assert.equal(server.accepted, 2, 'the connection asked for, plus one spare');
    const second = await connect(connector, server.port);
    assert.equal(used, 1, 'the second request got the spare');
    assert.notEqual(second, first);
    await until(() => server.accepted === 3);
    assert.equal(server.accepted, 3, 'a new spare replaces the one handed out');
    first.destroy();
    second.destroy();
    connector.dispose();
    await server.close();
  });

  it('lets an unused spare go after its idle time, before servers drop it themselves', async () => {
    const server = await countingServer();
    const connector = createWarmSpareConnector({}, { spares: 1, idleMs: 60 });
    const socket = await connect(connector, server.port);
    await until(() => server.accepted === 2);
    await until(() => server.closed === 1, 1000);
    assert.equal(server.closed, 1, 'the idle spare was closed');
    assert.equal(socket.destroyed, false, 'the connection in use stays');
    const next = await connect(connector, server.port);
    assert.notEqual(next, socket);
    await until(() => server.accepted === 4);
    assert.equal(server.accepted, 4, 'without a spare the request connects itself, and a new spare follows');
    socket.destroy();
    next.destroy();
    connector.dispose();
    await server.close();
  });

  it('drops a spare the server closed and connects afresh', async () => {
    const server = await countingServer();
    let used = 0;
    const connector = createWarmSpareConnector({}, { spares: 1, onSpareUsed: () => used++ });
    const first = await connect(connector, server.port);
    await until(() => server.accepted === 2);
    await server.close(); // closes the spare (and the first) from the server side
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(connect(connector, server.port), /ECONNREFUSED/);
    assert.equal(used, 0, 'a dead spare is never handed out');
    first.destroy();
    connector.dispose();
  });

  it('closes its spare on dispose', async () => {
    const server = await countingServer();
    const connector = createWarmSpareConnector({}, { spares: 1 });
    const socket = await connect(connector, server.port);
    await until(() => server.accepted === 2);
    connector.dispose();
    await until(() => server.closed === 1);
    assert.equal(server.closed, 1);
    socket.destroy();
    await server.close();
  });
});
