/** The commands a user pastes on their server to enroll it, as shown in the dashboard. */
export function enrollmentCommands(baseUrl: string, token: string): { installCommand: string; enrollCommand: string } {
  return {
    installCommand: `curl -fsSL ${baseUrl}/install-bridge.sh | sudo bash -s -- --url ${baseUrl} --token ${token}`,
    enrollCommand: `nervesys-bridge enroll --url ${baseUrl} --token ${token}`,
  };
}
