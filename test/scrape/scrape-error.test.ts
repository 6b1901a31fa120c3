import { describe, expect, it } from 'vitest';
import { ScrapeError, describeError, formatBytes, formatSeconds } from '../../src/scrape/scrape-error.js';

function withCode(code: string, message = `${code} at http://user:secret@host/`): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeError', () => {
  it('passes our own messages through', () => {
    expect(describeError(new ScrapeError('HTTP 404 Not Found'))).toBe('HTTP 404 Not Found');
  });

  it('names common network failures by their code, never quoting the message', () => {
    expect(describeError(withCode('ENOTFOUND'))).toBe('host not found');
    expect(describeError(withCode('ECONNRESET'))).toBe('connection reset');
    expect(describeError(withCode('EHOSTUNREACH'))).toBe('host unreachable');
    expect(describeError(withCode('UND_ERR_CONNECT_TIMEOUT'))).toBe('connect timed out');
  });

  it('looks through causes and the errors of an AggregateError', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: withCode('ECONNRESET') });
    expect(describeError(wrapped)).toBe('connection reset');
    const aggregate = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'all failed');
    expect(describeError(aggregate)).toBe('connection refused');
  });

  it('explains certificate problems with the flags that help', () => {
    expect(describeError(withCode('SELF_SIGNED_CERT_IN_CHAIN'))).toBe(
      'TLS: certificate signed by unknown authority (use --ca-file or --insecure)',
    );
    expect(describeError(withCode('CERT_HAS_EXPIRED'))).toBe('TLS: certificate has expired');
  });

  it('falls back to the bare code, or to a plain sentence', () => {
    expect(describeError(withCode('EWEIRD'))).toBe('request failed (EWEIRD)');
    expect(describeError(new Error('secret stuff'))).toBe('request failed');
    expect(describeError('a string')).toBe('request failed');
    expect(describeError(withCode('not a code; user:secret'))).toBe('request failed');
  });
});

describe('formatBytes and formatSeconds', () => {
  it('read as people write them', () => {
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MiB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(100)).toBe('100 bytes');
    expect(formatSeconds(1500)).toBe('1.5 s');
    expect(formatSeconds(10_000)).toBe('10 s');
    expect(formatSeconds(250)).toBe('0.25 s');
  });
});
