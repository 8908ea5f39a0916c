/** The sentence an API error response carries, or a plain one when it carries none. */
export async function responseError(response: Response): Promise<string> {
  const body = await response.json().catch(() => null);
  return body?.error?.message ?? `the control plane answered HTTP ${response.status}`;
}
