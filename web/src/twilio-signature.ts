/**
 * Twilio's request signature, computed in the browser with Web Crypto so the phone simulator can post to the
 * webhooks exactly as Twilio would: the full URL, then each POST parameter name and value in name order, all
 * concatenated, HMAC-SHA1 with the account's auth token, base64. Only for the local stack, whose auth token is
 * a fixed development value; in AWS the browser never holds the real token.
 */
export function signaturePayload(url: string, params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + (params[name] ?? ''), url);
}

export async function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, encoder.encode(signaturePayload(url, params))),
  );
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}
