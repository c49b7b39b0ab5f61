import { isPrivateAddress, outboundRefusal } from './outbound-address';

describe('outbound addresses (issue 19)', () => {
  it.each([
    '169.254.169.254',
    '127.0.0.1',
    '10.1.2.3',
    '172.31.255.255',
    '192.168.0.1',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:7f00:1',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:808:808'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  it('checks what a name resolves to, and URLs written in other forms of the address', async () => {
    expect(await outboundRefusal('http://localhost:8080/x', false)).toMatch(/private, loopback/);
    expect(await outboundRefusal('http://0x7f.1/', false)).toMatch(/private, loopback/);
    expect(await outboundRefusal('http://[::ffff:169.254.169.254]/', false)).toMatch(/private, loopback/);
    expect(await outboundRefusal('https://93.184.215.14/hook', false)).toBeNull();
    expect(await outboundRefusal('http://127.0.0.1:9/', true)).toBeNull();
    expect(await outboundRefusal('file:///etc/passwd', true)).toMatch(/only http and https/);
  });
});
