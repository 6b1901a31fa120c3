import { describe, expect, it } from 'vitest';
import { proxyFromEnvironment } from '../../../src/sources/kube/env-proxy.js';

const proxy = (server: string, env: NodeJS.ProcessEnv): string | undefined => proxyFromEnvironment(new URL(server), env);

describe('proxyFromEnvironment (Go\'s http.ProxyFromEnvironment, as kubectl uses it)', () => {
  it('takes HTTPS_PROXY for an https server and HTTP_PROXY for an http one, upper case first', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:3128' };
    expect(proxy('https://api.corp.example:6443', env)).toBe('http://secure:3128');
    expect(proxy('http://api.corp.example:8080', env)).toBe('http://plain:3128');
    expect(proxy('https://api.corp.example', { https_proxy: 'http://lower:3128' })).toBe('http://lower:3128');
    expect(proxy('https://api.corp.example', { HTTPS_PROXY: '', https_proxy: 'http://lower:3128' })).toBe('http://lower:3128');
    expect(proxy('https://api.corp.example', { HTTP_PROXY: 'http://plain:3128' })).toBeUndefined();
    expect(proxy('https://api.corp.example', {})).toBeUndefined();
  });

  it('reads a value without a scheme as an http proxy, and keeps https and socks5 ones', () => {
    expect(proxy('https://api.corp.example', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(proxy('https://api.corp.example', { HTTPS_PROXY: '10.1.2.3:3128' })).toBe('http://10.1.2.3:3128');
    expect(proxy('https://api.corp.example', { HTTPS_PROXY: 'https://proxy.corp' })).toBe('https://proxy.corp');
    expect(proxy('https://api.corp.example', { HTTPS_PROXY: 'socks5://127.0.0.1:1080' })).toBe('socks5://127.0.0.1:1080');
  });

  it('refuses a proxy it cannot use in one line that shows no password', () => {
    expect(() => proxy('https://api.corp.example', { HTTPS_PROXY: 'socks4://user:secret@proxy:1080' })).toThrow(
      /^\$HTTPS_PROXY: the proxy must be an http:\/\/, https:\/\/ or socks5:\/\/ URL \(not socks4:\)$/,
    );
    expect(() => proxy('https://api.corp.example', { https_proxy: 'http://[bad' })).toThrow(/^\$https_proxy: not a proxy URL$/);
  });

  it('never proxies localhost or a loopback address', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128' };
    for (const server of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.9.9.9', 'https://[::1]:6443', 'https://[::ffff:127.0.0.1]']) {
      expect(proxy(server, env), server).toBeUndefined();
    }
    expect(proxy('https://128.0.0.1', env)).toBe('http://proxy:3128');
  });

  it('follows NO_PROXY: *, IPs, CIDRs, domains and their subdomains, ports', () => {
    const through = (server: string, noProxy: string): boolean => proxy(server, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: noProxy }) !== undefined;
    expect(through('https://api.corp.example', '*')).toBe(false);
    expect(through('https://api.corp.example', ' other.example , corp.example ')).toBe(false);
    expect(through('https://corp.example', 'corp.example')).toBe(false);
    expect(through('https://notcorp.example', 'corp.example')).toBe(true);
    // A leading dot or *. matches subdomains only.
    expect(through('https://corp.example', '.corp.example')).toBe(true);
    expect(through('https://api.corp.example', '.corp.example')).toBe(false);
    expect(through('https://corp.example', '*.corp.example')).toBe(true);
    expect(through('https://api.corp.example', '*.corp.example')).toBe(false);
    expect(through('https://API.Corp.Example', 'corp.example')).toBe(false);
    // Ports: the server's, 443 when its URL gives none.
    expect(through('https://api.corp.example:6443', 'corp.example:6443')).toBe(false);
    expect(through('https://api.corp.example:6443', 'corp.example:443')).toBe(true);
    expect(through('https://api.corp.example', 'corp.example:443')).toBe(false);
    // Addresses and networks.
    expect(through('https://10.1.2.3:6443', '10.1.2.3')).toBe(false);
    expect(through('https://10.1.2.3:6443', '10.1.2.3:6443')).toBe(false);
    expect(through('https://10.1.2.3:6443', '10.1.2.3:443')).toBe(true);
    expect(through('https://10.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(through('https://11.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(through('https://[fd00::5]:6443', 'fd00::/8')).toBe(false);
    expect(through('https://[fd00::5]:6443', 'fd00::5')).toBe(false);
    expect(through('https://[fd00::5]:6443', '[fd00::5]:6443')).toBe(false);
    expect(through('https://[fd00::6]:6443', 'fd00::5')).toBe(true);
    // Lower case is read when upper case is unset; an empty entry or a lone port is ignored.
    expect(proxy('https://api.corp.example', { HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'corp.example' })).toBeUndefined();
    expect(through('https://api.corp.example', ',,:443')).toBe(true);
  });
});
