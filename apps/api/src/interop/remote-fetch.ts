import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DomainError } from '@civic/domain';

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['::ffff:0:0', 96],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/**
 * Fetches a JSON document from a remote portal on behalf of a steward, with the guards a
 * server-side fetch needs: http(s) only, no private or loopback addresses unless allowed,
 * no redirects to elsewhere, a time limit and a size limit.
 */
export async function fetchRemoteJson(url: string, options: { allowPrivate: boolean; maxBytes: number; timeoutMs: number }): Promise<unknown> {
  const target = new URL(url);
  if (!['http:', 'https:'].includes(target.protocol)) throw invalid('Only http and https URLs can be harvested.');
  if (!options.allowPrivate) {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true }).catch(() => []);
    if (addresses.length === 0) throw invalid(`The host ${host} cannot be resolved.`);
    if (addresses.some(({ address, family }) => PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4'))) {
      throw invalid('The URL points to a private or local network address.');
    }
  }
  let response: Response;
  try {
    response = await fetch(target, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: 'application/json' } });
  } catch (error) {
    throw invalid(`The portal could not be reached: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) throw invalid(`The portal answered ${response.status}.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > options.maxBytes) throw invalid(`The response is larger than ${options.maxBytes} bytes; harvest fewer rows at a time.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalid('The portal did not answer with JSON.');
  }
}

function invalid(message: string): DomainError {
  return new DomainError('request.invalid', message, [{ field: 'url', messages: [message] }]);
}
