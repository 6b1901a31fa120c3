import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/** The per-run certificate authority and what it signed. */
export interface Pki {
  readonly caPem: string;
  readonly server: KeyPair;
  /** CN=admin, O=system:masters: what kubeadm puts in admin.conf. */
  readonly admin: KeyPair;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir, timeout: 20_000 });
}

// EC keys: generating them is instant, where RSA costs a noticeable pause per test file.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function issue(dir: string, name: string, subject: string, extensions: string): Promise<KeyPair> {
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(dir, ['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  await openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`,
  ]);
  return {
    certPem: await readFile(join(dir, `${name}.crt`), 'utf8'),
    keyPem: await readFile(join(dir, `${name}.key`), 'utf8'),
  };
}

/** Makes a CA, a serving certificate for 127.0.0.1 and an admin client certificate in `dir`. */
export async function makePki(dir: string): Promise<Pki> {
  await openssl(dir, [
    'req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', '/CN=fake-kubernetes-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  const leaf = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n';
  const server = await issue(
    dir, 'apiserver', '/CN=kube-apiserver',
    `${leaf}extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n`,
  );
  const admin = await issue(dir, 'admin', '/O=system:masters/CN=admin', `${leaf}extendedKeyUsage=clientAuth\n`);
  return { caPem: await readFile(join(dir, 'ca.crt'), 'utf8'), server, admin };
}
