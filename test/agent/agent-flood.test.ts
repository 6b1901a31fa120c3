import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgentServer, type RunningAgent } from '../../src/agent/agent-server.js';
import { clientOf, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../../src/agent/connection-guard.js';
import type { MachineReader } from '../../src/sources/local/machine-reading.js';
import { thisMachineReader } from '../../src/sources/local/readers.js';
import { request } from './request.js';

const TOKEN = 'flood-test-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
/** The whole of 127/8 is loopback on Linux: each of these is a distinct client to the agent. */
const loopback = (n: number) => `127.0.0.${n}`;

/** A raw TCP client that records what it gets and when the server closes it. */
interface Client {
  readonly socket: Socket;
  readonly localAddress: string;
  received: string;
  isClosed: boolean;
  readonly closed: Promise<void>;
}

/** Raw connections; every one is destroyed in afterEach, so none outlives its test. */
class Clients {
  readonly all: Client[] = [];
  private closedCount = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  open(port: number, localAddress: string): Client {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let markClosed = () => {};
    const client: Client = { socket, localAddress, received: '', isClosed: false, closed: new Promise((r) => (markClosed = r)) };
    socket.on('data', (d: Buffer) => (client.received += d.toString('latin1')));
    socket.on('error', () => {}); // a connection cut with a reset; 'close' follows
    socket.on('close', () => {
      client.isClosed = true;
      this.closedCount++;
      this.waiters = this.waiters.filter((w) => (w.count <= this.closedCount ? (w.resolve(), false) : true));
      markClosed();
    });
    this.all.push(client);
    return client;
  }

  flood(port: number, localAddress: string, n: number): Client[] {
    return Array.from({ length: n }, () => this.open(port, localAddress));
  }

  /** Resolves once this many of the connections have been closed (the test's timeout bounds it). */
  closedAtLeast(count: number): Promise<void> {
    if (this.closedCount >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  openOnes(): Client[] {
    return this.all.filter((c) => !c.isClosed);
  }

  destroyAll(): void {
    for (const c of this.all) c.socket.destroy();
  }
}

let agent: RunningAgent | undefined;
let clients: Clients;
async function start(limits: Partial<ConnectionLimits>, reader: MachineReader = thisMachineReader()): Promise<RunningAgent> {
  clients = new Clients();
  agent = await startAgentServer({ host: '127.0.0.1', port: 0, reader, token: TOKEN, limits });
  return agent;
}
afterEach(async () => {
  clients?.destroyAll();
  await agent?.close();
  agent = undefined;
});

/** A real scrape with the token, on a fresh connection from the given address. */
async function scrape(a: RunningAgent, localAddress = loopback(1)) {
  const r = await request(a.url, { headers: AUTH, localAddress });
  return { status: r.status, text: r.body.toString() };
}

describe('agent under a connection flood', () => {
  it('holds at most 16 connections from one address and 256 in all, and still serves a real scrape', { timeout: 120_000 }, async () => {
    // Deadlines far beyond the test: only the caps are at work here.
    const a = await start({ headTimeoutMs: 600_000, keepAliveTimeoutMs: 600_000 });
    const { maxConnections, maxConnectionsPerClient } = DEFAULT_CONNECTION_LIMITS;

    // 300 idle connections from one address: it keeps 16, the rest are cut at once.
    clients.flood(a.port, loopback(2), 300);
    await clients.closedAtLeast(300 - maxConnectionsPerClient);
    expect(clients.openOnes()).toHaveLength(maxConnectionsPerClient);
    expect(clients.all.filter((c) => c.isClosed).every((c) => c.received === '')).toBe(true);

    const fromOutside = await scrape(a);
    expect(fromOutside.status).toBe(200);
    expect(fromOutside.text).toContain('# TYPE node_cpu_seconds_total counter\n');
    expect(fromOutside.text).toMatch(/^node_memory_MemTotal_bytes \d/m);
    // A scraper behind the flooding address itself takes the place of one of its idle connections.
    const fromFlooder = await scrape(a, loopback(2));
    expect(fromFlooder.status).toBe(200);
    expect(fromFlooder.text).toContain('# TYPE node_cpu_seconds_total counter\n');

    // 20 more addresses with 20 connections each: 16 + 320 would be held, the global cap keeps 256.
    for (let n = 3; n < 23; n++) clients.flood(a.port, loopback(n), 20);
    await clients.closedAtLeast(clients.all.length - maxConnections);
    const open = clients.openOnes();
    expect(open).toHaveLength(maxConnections);
    const perAddress = new Map<string, number>();
    for (const c of open) perAddress.set(c.localAddress, (perAddress.get(c.localAddress) ?? 0) + 1);
    expect(Math.max(...perAddress.values())).toBeLessThanOrEqual(maxConnectionsPerClient);
    expect(perAddress.size).toBe(21);

    // The global cap is full of idle connections; a real scrape still gets in, twice.
    for (let i = 0; i < 2; i++) {
      const r = await scrape(a);
      expect(r.status).toBe(200);
      expect(r.text).toContain('# TYPE node_cpu_seconds_total counter\n');
    }
    expect(clients.openOnes().length).toBeGreaterThanOrEqual(maxConnections - 2);
  });

  it('closes idle connections that send no request head by the deadline, with a 408', { timeout: 120_000 }, async () => {
    const a = await start({ headTimeoutMs: 200, keepAliveTimeoutMs: 200 });
    clients.flood(a.port, loopback(2), 300);
    for (let n = 3; n < 8; n++) clients.flood(a.port, loopback(n), 16);
    const r = await scrape(a);
    expect(r.status).toBe(200);
    expect(r.text).toContain('# TYPE node_cpu_seconds_total counter\n');

    await Promise.all(clients.all.map((c) => c.closed));
    // Every one was closed by the server: cut at once beyond the cap (nothing sent), or by the deadline (408).
    const timedOut = clients.all.filter((c) => c.received.startsWith('HTTP/1.1 408 Request Timeout\r\n'));
    const cut = clients.all.filter((c) => c.received === '');
    expect(timedOut.length + cut.length).toBe(clients.all.length);
    expect(timedOut.length).toBeGreaterThanOrEqual(16 + 5 * 16);
  });

  it('cuts off a slowloris that sends its request head a byte at a time', { timeout: 60_000 }, async () => {
    const a = await start({ headTimeoutMs: 200, keepAliveTimeoutMs: 200 });
    const head = `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const slow = clients.open(a.port, loopback(2));
    let sent = 0;
    // One byte every 50 ms: the whole head would take seconds; the deadline is 200 ms.
    for (; sent < head.length && !slow.isClosed; sent++) {
      slow.socket.write(head[sent]!);
      await new Promise((r) => setTimeout(r, 50));
    }
    await slow.closed;
    expect(sent).toBeLessThan(head.length);
    expect(slow.received).not.toContain('200 OK');
    // The 408 goes out unless a byte arriving as it closes turns the close into a reset.
    expect(slow.received === '' || slow.received.startsWith('HTTP/1.1 408 ')).toBe(true);
    expect((await scrape(a)).status).toBe(200);
  });

  it('cuts off a slowloris on a kept-alive connection after its first response', { timeout: 60_000 }, async () => {
    const a = await start({ headTimeoutMs: 200, keepAliveTimeoutMs: 200 });
    const head = `HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const slow = clients.open(a.port, loopback(2));
    slow.socket.write(head);
    await new Promise<void>((resolve) => {
      const check = () => (slow.received.includes('\r\n\r\n') || slow.isClosed) && resolve();
      slow.socket.on('data', check);
      slow.socket.on('close', check);
    });
    expect(slow.received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(slow.received).toMatch(/\r\nKeep-Alive: timeout=\d+\r\n/i);
    let sent = 0;
    for (; sent < head.length && !slow.isClosed; sent++) {
      slow.socket.write(head[sent]!);
      await new Promise((r) => setTimeout(r, 50));
    }
    await slow.closed;
    expect(sent).toBeLessThan(head.length);
    expect(slow.received.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(1);
  });

  it('serves pipelined requests on a kept-alive connection, then closes it once idle', { timeout: 60_000 }, async () => {
    const a = await start({ headTimeoutMs: 200, keepAliveTimeoutMs: 200 });
    const get = `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const client = clients.open(a.port, loopback(1));
    client.socket.write(get + get);
    await client.closed;
    expect(client.received.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(2);
    // No 408 status line after the two answers (the bodies' figures may hold the digits 408).
    expect(client.received).not.toMatch(/HTTP\/1\.1 408 /);
  });

  it('gives the place of a client that does not read its response to a new scrape', { timeout: 60_000 }, async () => {
    // A reading with 100 000 network devices: some 12 MB of text, more than the socket buffers hold.
    let big = true;
    const inner = thisMachineReader();
    const reader: MachineReader = {
      missing: inner.missing,
      read: async () => {
        const reading = await inner.read();
        if (!big) return reading;
        const network = Array.from({ length: 100_000 }, (_, i) => ({ device: `veth${i}`, in: i, out: i }));
        return { ...reading, network };
      },
    };
    const a = await start({ headTimeoutMs: 600_000, keepAliveTimeoutMs: 600_000, maxConnections: 2, maxConnectionsPerClient: 1 }, reader);
    const get = `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const stalled = [2, 3].map((n) => clients.open(a.port, loopback(n)));
    await Promise.all(
      stalled.map((c) => {
        c.socket.write(get);
        // The first bytes mean the agent has written the whole response; the client then stops reading.
        return new Promise<void>((resolve) => c.socket.once('data', () => resolve(void c.socket.pause())));
      }),
    );
    big = false;
    const r = await scrape(a);
    expect(r.status).toBe(200);
    expect(r.text).toContain('# TYPE node_cpu_seconds_total counter\n');
    // One of them lost its place, which it sees once it reads again; the other reads on.
    for (const c of stalled) c.socket.resume();
    await Promise.race(stalled.map((c) => c.closed));
    expect(stalled.filter((c) => c.isClosed)).toHaveLength(1);
  });

  it('answers a scrape whose reading outlasts the deadlines', { timeout: 60_000 }, async () => {
    const inner = thisMachineReader();
    const reader: MachineReader = {
      missing: inner.missing,
      read: async () => {
        await new Promise((r) => setTimeout(r, 600)); // three head deadlines
        return inner.read();
      },
    };
    const a = await start({ headTimeoutMs: 200, keepAliveTimeoutMs: 200 }, reader);
    const r = await scrape(a);
    expect(r.status).toBe(200);
    expect(r.text).toContain('# TYPE node_cpu_seconds_total counter\n');
  });
});

describe('clientOf: whose connection it is', () => {
  it('is the IPv4 address, also mapped into IPv6, and the /64 for IPv6', () => {
    expect(clientOf('127.0.0.2')).toBe('127.0.0.2');
    expect(clientOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    expect(clientOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientOf('64:ff9b::10.0.0.1')).toBe('64:ff9b:0:0::/64');
  });
});
