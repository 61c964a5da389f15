/**
 * The Content Security Policy of the renderer, sent as a response header by the app://
 * protocol handler. renderer/index.html carries the same policy in a meta tag (csp.test.ts
 * keeps the two equal); the header adds `frame-ancestors`, which a meta tag cannot carry.
 *
 * - script-src 'self': no inline or remote script, no eval.
 * - style-src 'unsafe-inline': antd (CSS-in-JS) injects style elements at run time.
 * - connect-src http: https:: the city platform's address is configured per site (intranet,
 *   sometimes plain http); the renderer talks to nothing else by design.
 * - worker-src blob:: the sync and import workers.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self' http: https:"],
  ['worker-src', "'self' blob:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-src', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/** Parses a policy string into directive → value (whitespace normalised). */
export function parseCsp(policy: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values.join(' '));
  }
  return directives;
}
