/**
 * Content-Security-Policy for the renderer. Everything comes from the app itself; inline styles are
 * allowed because recharts positions its SVG with style attributes. Electron talks over IPC only,
 * so it gets no network at all; web mode may open its own WebSocket and nothing else.
 */
const COMMON = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const ELECTRON_CSP = [...COMMON, "connect-src 'none'"].join('; ');

export function webModeCsp(port: number): string {
  return [...COMMON, `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`].join('; ');
}
