import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.ts';

/** PEM files of a private CA, a server certificate it signed for 127.0.0.1, and a client certificate it signed. */
export interface TestCertificates {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The contents of the files above. */
  pem: { ca: string; clientCert: string; clientKey: string };
}

/**
 * Makes a throwaway CA and certificates with the `openssl` command (Debian's openssl
 * package), in a folder removed after the test file.
 */
export function testCertificates(): TestCertificates {
  const { dir, write } = tempDir('leadscore-tls-');
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=leadscore test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  const sign = (name: string, subject: string, extensions: string) => {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    const ext = write(`${name}.ext`, `${extensions}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      `${name}.crt`,
    );
  };
  sign('server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  sign('client', '/CN=leadscore test client', 'extendedKeyUsage=clientAuth');
  const certs = {
    dir,
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
  };
  return {
    ...certs,
    pem: {
      ca: readFileSync(certs.ca, 'utf8'),
      clientCert: readFileSync(certs.clientCert, 'utf8'),
      clientKey: readFileSync(certs.clientKey, 'utf8'),
    },
  };
}
