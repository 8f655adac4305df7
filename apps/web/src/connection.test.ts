import { describe, expect, it } from 'vitest';
import { socketUrl } from './connection.js';

const at = (href: string) => {
  const u = new URL(href);
  return { protocol: u.protocol, host: u.host, search: u.search } as Location;
};

describe('socketUrl', () => {
  it('targets /ws on the page host', () => {
    expect(socketUrl(at('http://127.0.0.1:6006/'))).toBe('ws://127.0.0.1:6006/ws');
    expect(socketUrl(at('https://box.example/'))).toBe('wss://box.example/ws');
  });

  it("carries the page's token along", () => {
    expect(socketUrl(at('http://box:6006/?token=a+b/c'))).toBe('ws://box:6006/ws?token=a%20b%2Fc');
  });
});
