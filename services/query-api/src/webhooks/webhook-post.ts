import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIPv6 } from 'node:net';
import { checkUrlSyntax, resolveAllowed, type Resolver } from './webhook-url.ts';

export interface PostResult {
  readonly status: number;
}

type LookupCallback = (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/**
 * POST to a webhook URL with the SSRF checks done again at delivery: the URL's syntax,
 * then the host's DNS answers right now, and the socket connects to exactly the address
 * that was checked (a pinned `lookup`), so a name that re-resolves to 127.0.0.1 between
 * check and connect (DNS rebinding) cannot reach it. TLS still verifies the host name.
 * Redirects are not followed (a 3xx is a failed attempt).
 */
export async function postChecked(rawUrl: string, body: string, headers: Record<string, string>, options: { allowPrivate: boolean; timeoutMs: number; resolve: Resolver }): Promise<PostResult> {
  const { url, host } = checkUrlSyntax(rawUrl, options.allowPrivate);
  const [address] = await resolveAllowed(host, options.allowPrivate, options.resolve);
  const family = isIPv6(address!) ? 6 : 4;
  const pinned = (_host: string, opts: { all?: boolean }, cb: LookupCallback) => (opts.all ? cb(null, [{ address: address!, family }]) : cb(null, address!, family));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions = {
    method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: pinned as unknown as RequestOptions['lookup'], timeout: options.timeoutMs, agent: false,
  };
  return new Promise((resolve, reject) => {
    const req = send(url, requestOptions, (res) => {
      // Only the status matters; the body is drained (capped by the timeout) and dropped.
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
