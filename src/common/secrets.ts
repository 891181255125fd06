/**
 * Hides secret values in a line of text (`application register … token=…`): for every line FlexPath
 * records, logs or reports. Identities (addresses, serials, names) are the report's business
 * (src/report/redact.ts); secrets are hidden everywhere, redaction on or off.
 */

/** key=value secrets; `handle` is the one-time `wan validate handle=` (not `client_handle`, a session id). */
const TOKEN = /(?<![\w-])(token|owner_token|id_token|access_token|refresh_token|password|secret|client_secret|handle)=[^\s,;"']+/gi;
const BEARER = /\b(Bearer)\s+[\w\-.~+/]+=*/gi;
const JSON_SECRET = /"(token|owner_token|id_token|access_token|refresh_token|password|secret|client_secret|handle)"\s*:\s*"(?:[^"\\]|\\.)*"/gi;
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

export function redactSecrets(text: string): string {
  return text
    .replace(JSON_SECRET, '"$1":"<redacted>"')
    .replace(TOKEN, '$1=<redacted>')
    .replace(BEARER, '$1 <redacted>')
    .replace(JWT, '<redacted-token>');
}
