import { connect } from 'node:net';

/**
 * Whether a Redis server answers `PING` on 127.0.0.1:`port` within `timeoutMs`. Speaks RESP over a
 * raw socket so that a dead port costs one refused connection, not a client's reconnect loop.
 * A server that demands a password (`-NOAUTH`) still counts as a Redis that answers.
 */
export function pingRedis(port: number, timeoutMs = 1_000, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
    socket.once('end', () => finish(false));
  });
}
