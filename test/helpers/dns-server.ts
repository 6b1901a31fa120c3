/**
 * A minimal DNS server on 127.0.0.1 (UDP) for discovery tests: it answers A, AAAA and SRV
 * questions from a record table the test changes while it runs. A name not in the table is
 * NXDOMAIN; a name without records of the type asked gets an empty answer; `failing` answers
 * SERVFAIL to everything, as a broken server would.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

export interface SrvRecord {
  readonly priority?: number;
  readonly weight?: number;
  readonly port: number;
  readonly target: string;
}

export interface NameRecords {
  A?: string[];
  AAAA?: string[];
  SRV?: SrvRecord[];
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, as --dns-server takes it. */
  readonly address: string;
  /** Names (without a trailing dot, any case) and their records; change it at will. */
  readonly records: Map<string, NameRecords>;
  /** Questions answered so far. */
  readonly queries: { count: number };
  failing: boolean;
  close(): Promise<void>;
}

const TYPE = { A: 1, AAAA: 28, SRV: 33 } as const;
const RCODE = { ok: 0, servfail: 2, nxdomain: 3 } as const;

export async function startDnsServer(): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const server: TestDnsServer = {
    address: '',
    records: new Map(),
    queries: { count: 0 },
    failing: false,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const reply = answer(server, msg);
    if (reply) socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return Object.assign(server, { address: `127.0.0.1:${socket.address().port}` });
}

function answer(server: TestDnsServer, query: Buffer): Buffer | undefined {
  if (query.length < 12) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    const len = query[at] ?? 0;
    labels.push(query.subarray(at + 1, at + 1 + len).toString('ascii'));
    at += 1 + len;
  }
  const questionEnd = at + 5; // the zero label, then type and class
  if (questionEnd > query.length) return undefined;
  const type = query.readUInt16BE(at + 1);
  server.queries.count++;
  const entry = server.records.get(labels.join('.').toLowerCase());
  const rdatas = server.failing || !entry ? [] : recordData(entry, type);
  const rcode = server.failing ? RCODE.servfail : entry ? RCODE.ok : RCODE.nxdomain;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // the id
  header.writeUInt16BE(0x8180 | rcode, 2); // a response, recursion desired and available
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rdatas.length, 6);
  const answers = rdatas.map((rdata) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(type, 2);
    rr.writeUInt16BE(1, 4); // class IN
    rr.writeUInt32BE(0, 6); // TTL 0: never cached
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

function recordData(entry: NameRecords, type: number): Buffer[] {
  if (type === TYPE.A) return (entry.A ?? []).filter((ip) => isIPv4(ip)).map((ip) => Buffer.from(ip.split('.').map(Number)));
  if (type === TYPE.AAAA) return (entry.AAAA ?? []).filter((ip) => isIPv6(ip)).map(ipv6Bytes);
  if (type === TYPE.SRV) {
    return (entry.SRV ?? []).map((r) => {
      const fixed = Buffer.alloc(6);
      fixed.writeUInt16BE(r.priority ?? 0, 0);
      fixed.writeUInt16BE(r.weight ?? 0, 2);
      fixed.writeUInt16BE(r.port, 4);
      return Buffer.concat([fixed, encodeName(r.target)]);
    });
  }
  return [];
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter((p) => p !== '');
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const all = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const buf = Buffer.alloc(16);
  all.forEach((g, i) => buf.writeUInt16BE(parseInt(g, 16), i * 2));
  return buf;
}
