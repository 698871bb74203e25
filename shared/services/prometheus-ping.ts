/** Whether a Prometheus server at `baseUrl` reports itself ready (`GET /-/ready` → 200) within `timeoutMs`. */
export async function pingPrometheus(baseUrl: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(new URL('/-/ready', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    return response.ok && body.includes('Prometheus');
  } catch {
    return false;
  }
}
