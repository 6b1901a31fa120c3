import { describe, expect, it } from 'vitest';
import { maskSecretArgs, maskSecretCommandLine } from '../../src/util/secret-args.js';

describe('maskSecretArgs', () => {
  it('masks the value after a secret-looking flag, and after = in one argument', () => {
    expect(maskSecretArgs(['mysql', '--password', 'hunter2', '--host', 'db'])).toEqual(['mysql', '--password', '***', '--host', 'db']);
    expect(maskSecretArgs(['app', '--token=abc123', '--db-password=x', '--client-secret', 's3', '--api-key', 'k'])).toEqual([
      'app',
      '--token=***',
      '--db-password=***',
      '--client-secret',
      '***',
      '--api-key',
      '***',
    ]);
  });

  it('masks NAME=value where the name says secret, and keeps other assignments', () => {
    expect(maskSecretArgs(['env', 'AWS_SECRET_ACCESS_KEY=wJalr', 'PASSWORD=p', 'GITHUB_TOKEN=ghp_x', 'PATH=/bin', 'HOME=/root'])).toEqual([
      'env',
      'AWS_SECRET_ACCESS_KEY=***',
      'PASSWORD=***',
      'GITHUB_TOKEN=***',
      'PATH=/bin',
      'HOME=/root',
    ]);
  });

  it('masks passwords in URLs, user:password after -u, and Authorization headers', () => {
    expect(maskSecretArgs(['psql', 'postgres://app:s3cret@db:5432/x'])).toEqual(['psql', 'postgres://app:***@db:5432/x']);
    expect(maskSecretArgs(['curl', '-u', 'bob:pw', '-H', 'Authorization: Bearer eyJ', 'https://x'])).toEqual([
      'curl',
      '-u',
      'bob:***',
      '-H',
      'Authorization: ***',
      'https://x',
    ]);
  });

  it('leaves ordinary command lines alone, a flag after a secret flag included', () => {
    const args = ['node', 'server.js', '--port', '8080', '--keyboard', 'us', '--monkey', 'x', '--verbose'];
    expect(maskSecretArgs(args)).toEqual(args);
    expect(maskSecretArgs(['x', '--password', '--verbose'])).toEqual(['x', '--password', '--verbose']);
  });

  it('masks a joined command line (the reader\'s second pass)', () => {
    expect(maskSecretCommandLine('redis-server --requirepass secret --port 6379')).toBe('redis-server --requirepass *** --port 6379');
    expect(maskSecretCommandLine('app --secret x')).toBe('app --secret ***');
  });

  it('masks a joined line whatever the blanks between a flag and its value, and keeps the blanks', () => {
    expect(maskSecretCommandLine('mysql --password\thunter2')).toBe('mysql --password\t***');
    expect(maskSecretCommandLine(' mysql --password   hunter2 --host db\n')).toBe(' mysql --password   *** --host db\n');
  });

  it('masks a header\'s whole value in a joined line, up to the next flag, wherever the header name starts', () => {
    expect(maskSecretCommandLine('curl -H Authorization: Bearer eyJ https://x')).toBe('curl -H Authorization: ***');
    expect(maskSecretCommandLine('curl -H Authorization:  Bearer eyJ\t-s  x')).toBe('curl -H Authorization: ***\t-s  x');
    expect(maskSecretCommandLine('curl -H "Authorization: Bearer eyJ" -s https://x')).toBe('curl -H "Authorization: *** -s https://x');
    expect(maskSecretCommandLine('curl -HCookie:sid=abc x')).toBe('curl -HCookie: ***');
    expect(maskSecretCommandLine('wget --header=Authorization: Basic Ym9i')).toBe('wget --header=Authorization: ***');
    expect(maskSecretArgs(['wget', '--header=Authorization: Basic Ym9i'])).toEqual(['wget', '--header=Authorization: ***']);
  });
});
