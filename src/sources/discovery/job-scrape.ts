/**
 * A job's auth and TLS as the scraper takes them. Files (password_file, credentials_file, ca_file,
 * cert_file, key_file) are read once, at start; relative paths are relative to the config file,
 * as in Prometheus. Messages name the field and the path, never what a file holds.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFsError } from '../../util/fs-error.js';
import type { TargetScrape } from '../../targets/target.js';
import { ConfigError } from './config-fields.js';
import type { TargetTemplate } from './discovered-target.js';
import type { JobConfig } from './job-config.js';

/** The job's template for its targets, its files read. */
export async function loadJobTemplate(job: JobConfig, origin: string, baseDir: string): Promise<TargetTemplate> {
  const read = async (field: string, path: string): Promise<string> => {
    try {
      return await readFile(resolve(baseDir, path), 'utf8');
    } catch (error) {
      throw new ConfigError(`${origin}: job "${job.name}": ${field} ${path}: ${describeFsError(error)}`);
    }
  };
  const secret = async (field: string, path: string): Promise<string> => {
    const value = (await read(field, path)).trim();
    if (value === '') throw new ConfigError(`${origin}: job "${job.name}": ${field} ${path}: the file is empty`);
    return value;
  };
  const scrape: { authorization?: () => string; tls?: NonNullable<TargetScrape['tls']> } = {};
  const auth = job.auth;
  if (auth?.kind === 'basic') {
    const password = auth.passwordFile === undefined ? (auth.password ?? '') : await secret('basic_auth.password_file', auth.passwordFile);
    const header = `Basic ${Buffer.from(`${auth.username}:${password}`).toString('base64')}`;
    scrape.authorization = () => header;
  } else if (auth?.kind === 'authorization') {
    const credentials = auth.credentialsFile === undefined ? (auth.credentials ?? '') : await secret(auth.fileField ?? 'credentials_file', auth.credentialsFile);
    const header = `${auth.type} ${credentials}`;
    scrape.authorization = () => header;
  }
  const tls = job.tls;
  if (tls) {
    const [ca, cert, key] = await Promise.all([
      tls.caFile === undefined ? undefined : read('tls_config.ca_file', tls.caFile),
      tls.certFile === undefined ? undefined : read('tls_config.cert_file', tls.certFile),
      tls.keyFile === undefined ? undefined : read('tls_config.key_file', tls.keyFile),
    ]);
    // The job's CA alone is trusted, as Prometheus does; without one, the system roots are.
    scrape.tls = {
      name: `job:${job.name}`,
      options: {
        insecure: tls.insecureSkipVerify,
        ...(ca === undefined ? {} : { ca, caOnly: true }),
        ...(cert === undefined ? {} : { cert }),
        ...(key === undefined ? {} : { key }),
        ...(tls.serverName === undefined ? {} : { servername: tls.serverName }),
      },
    };
  }
  return {
    job: job.name,
    scheme: job.scheme,
    metricsPath: job.metricsPath,
    params: job.params,
    ...(scrape.authorization === undefined && scrape.tls === undefined ? {} : { scrape }),
  };
}
