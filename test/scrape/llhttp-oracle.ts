/**
 * What Node's own HTTP client makes of a response's bytes: its parser is llhttp in strict mode
 * (no `insecureHTTPParser`), as every `http.get` has it. A loopback TCP server writes the bytes,
 * as they are, to an `http.get` and closes; the verdict is whether the client got a complete
 * response, with which status and body. The public route, not the parser's internal binding: the
 * client's own rules (1xx handling, upgrades, header and chunk-extension limits) count too.
 */
import { get, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';

export type Verdict =
  | { readonly ok: true; readonly status: number; readonly body: Buffer }
  | { readonly ok: false; readonly reason: string };

/** Far longer than a loopback exchange takes, even on a loaded machine; a case past it fails. */
const CASE_TIMEOUT_MS = 10_000;

export class NodeClientOracle {
  private readonly pending = new Map<number, Buffer>();
  private readonly sockets = new Set<Socket>();
  private cases = 0;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    private readonly port: number,
  ) {}

  static async start(): Promise<NodeClientOracle> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const oracle = new NodeClientOracle(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => oracle.serve(socket));
    return oracle;
  }

  /** Node's verdict on `bytes` as a response to a GET; one case at a time. */
  read(bytes: Buffer): Promise<Verdict> {
    const id = this.cases++;
    this.pending.set(id, bytes);
    return new Promise<Verdict>((resolve) => {
      const chunks: Buffer[] = [];
      let res: IncomingMessage | undefined;
      let ended = false;
      let reqClosed = false;
      let resClosed = false;
      let reason = 'incomplete';
      const settle = (): void => {
        if (!reqClosed || (res !== undefined && !resClosed)) return;
        clearTimeout(timer);
        this.pending.delete(id);
        if (res !== undefined && ended && res.complete) resolve({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
        else resolve({ ok: false, reason });
      };
      const req = get({ host: '127.0.0.1', port: this.port, path: `/${id}`, agent: false });
      const timer = setTimeout(() => {
        reason = 'timed out';
        req.destroy();
      }, CASE_TIMEOUT_MS);
      req.on('response', (response: IncomingMessage) => {
        res = response;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => (ended = true));
        response.on('error', (error: Error) => (reason = error.message));
        response.on('close', () => {
          resClosed = true;
          settle();
        });
      });
      req.on('error', (error: Error & { code?: string }) => (reason = `${error.code ?? ''} ${error.message}`.trim()));
      req.on('close', () => {
        reqClosed = true;
        settle();
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Reads the request's head first, so closing never resets a connection with unread bytes. */
  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    const onData = (data: Buffer): void => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const bytes = this.pending.get(Number(/^GET \/(\d+) /.exec(head)?.[1]));
      if (bytes === undefined) socket.destroy();
      else socket.end(bytes);
    };
    socket.on('data', onData);
  }
}
