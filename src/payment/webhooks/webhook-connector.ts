// How a webhook request reaches its receiver: a socket to one address the target policy checked,
// never to a name resolved again (DNS rebinding), with TLS naming the original host for SNI and
// certificate checks. Injected, so tests can see (and refuse) every connection the sender opens.
import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export interface ConnectTarget {
  /** The checked IP address to connect to. */
  address: string;
  port: number;
  /** The URL's host (no brackets): the TLS server name and the name its certificate must carry. */
  hostname: string;
  /** Present for https: the client certificate (mutual TLS) and trust settings. */
  tls?: ConnectionOptions | undefined;
}

export type Connector = (target: ConnectTarget) => Duplex;

export const connectToAddress: Connector = (target) => {
  if (!target.tls) return netConnect({ host: target.address, port: target.port });
  return tlsConnect({
    ...target.tls,
    host: target.address,
    port: target.port,
    // An IP literal is no server name (RFC 6066); the certificate is checked against it all the same.
    ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
    checkServerIdentity: (_address, cert) => checkServerIdentity(target.hostname, cert),
  });
};
