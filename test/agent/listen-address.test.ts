import { describe, expect, it } from 'vitest';
import { isLoopback, parseListenAddress, urlHost } from '../../src/agent/listen-address.js';

describe('--listen addresses', () => {
  it.each([
    ['127.0.0.1:9105', { host: '127.0.0.1', port: 9105 }],
    ['0.0.0.0:9105', { host: '0.0.0.0', port: 9105 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['node-1.example:80', { host: 'node-1.example', port: 80 }],
    ['[::1]:9105', { host: '::1', port: 9105 }],
    ['[::]:9105', { host: '::', port: 9105 }],
  ])('%s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  it.each(['foo:99999', ':9105', '9105', 'foo', '::1:9105', '[::1]', '[nothost]:9105', 'a b:1', 'host:-1', 'host:12x'])('%s is refused', (text) => {
    expect(() => parseListenAddress(text)).toThrow(`--listen takes host:port or [ipv6]:port with a port from 0 to 65535, not "${text}"`);
  });

  it('knows loopback and writes IPv6 in brackets', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', 'node1'].map(isLoopback)).toEqual([false, false, false, false]);
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
