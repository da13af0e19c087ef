import { classifyAddress } from './address-class';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.215.14'],
    ['172.32.0.1'], // just past 172.16/12
    ['100.128.0.1'], // just past 100.64/10
    ['11.0.0.1'],
    ['2606:4700:4700::1111'],
    ['2a00:1450:4001:81c::200e'],
    ['::ffff:8.8.8.8'], // IPv4-mapped public
    ['64:ff9b::808:808'], // NAT64 of 8.8.8.8
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toEqual({ kind: 'public' });
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'], // cloud metadata
    ['169.254.0.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['::1', 'loopback'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'], // AWS metadata over IPv6
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['::ffff:127.0.0.1', 'ipv4Mapped loopback'],
    ['::ffff:10.1.2.3', 'ipv4Mapped private'],
    ['::ffff:169.254.169.254', 'ipv4Mapped linkLocal'],
    ['::ffff:7f00:1', 'ipv4Mapped loopback'], // the same, written in hex
    ['64:ff9b::a00:1', 'rfc6052 private'], // NAT64 of 10.0.0.1
  ])('%s is private (%s)', (address, range) => {
    expect(classifyAddress(address)).toEqual({ kind: 'private', range });
  });

  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:0.0.0.0', 'ipv4Mapped unspecified'],
    ['::7f00:1', 'unicast'], // deprecated IPv4-compatible form, outside 2000::/3
    ['2002:a00:1::1', '6to4'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is unusable (%s)', (address, range) => {
    expect(classifyAddress(address)).toEqual({ kind: 'unusable', range });
  });
});
