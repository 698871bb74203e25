/** Whether a ClickHouse server answers `GET /ping` with `Ok.` at `baseUrl` within `timeoutMs`. */
export async function pingClickHouse(baseUrl: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(new URL('/ping', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return response.ok && body.trim() === 'Ok.';
  } catch {
    return false;
  }
}
