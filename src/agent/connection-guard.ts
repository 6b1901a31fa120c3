import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { isIPv4, isIPv6, type Socket } from 'node:net';

/** How many connections the agent holds, and for how long one may sit without a request. */
export interface ConnectionLimits {
  /** A new connection must deliver a complete request head within this, else it gets 408 and is closed. */
  readonly headTimeoutMs: number;
  /** After a response, a kept-alive connection must deliver the next complete head within this, else it is closed. */
  readonly keepAliveTimeoutMs: number;
  /** Connections held at once, over all clients. */
  readonly maxConnections: number;
  /** Connections held at once from one client: one IPv4 address, or one IPv6 /64. */
  readonly maxConnectionsPerClient: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headTimeoutMs: 3_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
  maxConnectionsPerClient: 16,
};

interface Held {
  readonly client: string;
  /** Responses not yet finished (a pipelining client has several). */
  readonly responses: Set<ServerResponse>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Whether closing the connection loses no work of ours: every response on it has been handed over
 * whole (`end()` called). One written but not yet taken by the client is the client's to lose:
 * otherwise a client that never reads its responses would pin its slot.
 */
const replaceable = (state: Held) => [...state.responses].every((res) => res.writableEnded);

const REQUEST_TIMEOUT_RESPONSE = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Bounds what a client can hold before it has authenticated, which a plain `server.maxConnections`
 * does not: with it, idle connections fill every slot and real scrapes are refused until Node's
 * `headersTimeout` (only checked every 30 s) clears them.
 *
 * - Each connection has its own deadline for a complete request head, from when it is accepted and
 *   again from the end of each response while it is kept alive; past it the connection is closed.
 * - One client holds at most `maxConnectionsPerClient`; over all clients at most `maxConnections`.
 *   A connection beyond either takes the place of one on which the agent has nothing left to do
 *   (no request, or only responses already written whole), the longest-idle one of the same
 *   client, or for the global cap, of the client holding the most (never of a client holding
 *   fewer than the newcomer's own would). Only when the agent is still working on every candidate
 *   is the newcomer refused. So a flood from one address churns its own slots,
 *   a flood from many shares the rest, and a scraper that sends its request at once is served.
 */
export function guardConnections(server: Server, limits: ConnectionLimits): void {
  const held = new Map<Socket, Held>();
  /** Each client's connections in the order they last became idle (oldest first). */
  const byClient = new Map<string, Set<Socket>>();

  const arm = (state: Held, ms: number, onExpiry: () => void) => {
    clearTimeout(state.timer);
    state.timer = setTimeout(onExpiry, ms);
    state.timer.unref();
  };
  const forget = (socket: Socket) => {
    const state = held.get(socket);
    if (!state) return;
    clearTimeout(state.timer);
    held.delete(socket);
    const sockets = byClient.get(state.client);
    sockets?.delete(socket);
    if (sockets?.size === 0) byClient.delete(state.client);
  };
  /** Cuts a connection to make room: a reset, so no TIME_WAIT is left here for each one. */
  const evict = (socket: Socket) => {
    forget(socket);
    socket.resetAndDestroy();
  };
  const idleOf = (sockets: Set<Socket>) => {
    for (const socket of sockets) {
      const state = held.get(socket);
      if (state && replaceable(state)) return socket;
    }
    return undefined;
  };
  /** The longest-idle connection of the client holding the most connections that has one idle. */
  const globalVictim = () => {
    let victim: { socket: Socket; count: number } | undefined;
    for (const sockets of byClient.values()) {
      if (victim && sockets.size <= victim.count) continue;
      const socket = idleOf(sockets);
      if (socket) victim = { socket, count: sockets.size };
    }
    return victim;
  };

  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress === undefined ? undefined : clientOf(socket.remoteAddress);
    if (client === undefined) return void socket.destroy(); // already gone
    const own = byClient.get(client) ?? new Set<Socket>();
    if (own.size >= limits.maxConnectionsPerClient) {
      const victim = idleOf(own);
      if (!victim) return void socket.resetAndDestroy();
      evict(victim);
    } else if (held.size >= limits.maxConnections) {
      const victim = globalVictim();
      if (!victim || victim.count < own.size + 1) return void socket.resetAndDestroy();
      evict(victim.socket);
    }
    const state: Held = { client, responses: new Set(), timer: undefined };
    held.set(socket, state);
    own.add(socket);
    byClient.set(client, own);
    arm(state, limits.headTimeoutMs, () => {
      // Nothing of a response has been written on this connection: a 408 says why it is closed.
      forget(socket);
      socket.write(REQUEST_TIMEOUT_RESPONSE);
      socket.destroy();
    });
    socket.once('close', () => forget(socket));
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const state = held.get(socket);
    if (!state) return;
    state.responses.add(res);
    clearTimeout(state.timer);
    state.timer = undefined;
    res.once('close', () => {
      state.responses.delete(res);
      if (state.responses.size > 0 || socket.destroyed || !held.has(socket)) return;
      // Idle again: the longest-idle is replaced first, so this one moves to the back.
      const sockets = byClient.get(state.client);
      sockets?.delete(socket);
      sockets?.add(socket);
      arm(state, limits.keepAliveTimeoutMs, () => {
        forget(socket);
        socket.destroy();
      });
    });
  });
}

/** Who holds a connection: an IPv4 address (also when mapped into IPv6), or an IPv6 /64. */
export function clientOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  const bare = address.split('%')[0]!; // a zone (fe80::1%eth0) is not part of the address
  if (!isIPv6(bare)) return address;
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, each in hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}
