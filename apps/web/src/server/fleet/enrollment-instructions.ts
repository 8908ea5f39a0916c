import type { NewToken } from "./fleet-service";

export type EnrollmentInstructions = NewToken & { installCommand: string; enrollCommand: string };

/** A token with the commands a user pastes on their server to enroll it, as the dashboard shows them. */
export function enrollmentInstructions(baseUrl: string, issued: NewToken): EnrollmentInstructions {
  return {
    ...issued,
    installCommand: `curl -fsSL ${baseUrl}/install-bridge.sh | sudo bash -s -- --url ${baseUrl} --token ${issued.token}`,
    enrollCommand: `nervesys-bridge enroll --url ${baseUrl} --token ${issued.token}`,
  };
}
