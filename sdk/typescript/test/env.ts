// The server the tests run against: the dotnet test (SdkTests) starts a real `serve` and passes these.
import { readFileSync } from "node:fs";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through tests/Host.Tests (Integrators/TypeScriptSdkTests)`);
  return value;
}

export const baseUrl = required("RULESBILLING_URL");
export const adminKey = required("RULESBILLING_ADMIN_KEY");
/** The rules the server started with (the ticket.resolved rules the events below are for). */
export const rulesText = required("RULESBILLING_RULES_TEXT");
export const document = JSON.parse(readFileSync(required("RULESBILLING_OPENAPI"), "utf8")) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};

/** A new tenant and its key, through the admin route, so every test file has its own data. */
export async function newTenant(id: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/tenants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ id }),
  });
  if (response.status !== 201) throw new Error(`creating tenant ${id}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { apiKey: string }).apiKey;
}

/** February 2026: a closed period on the server's clock (2026-03-20), so it can be finalized. */
export function ticket(id: string, customer = "acme", time = "2026-02-10T09:00:00Z") {
  return { id, source: "agent://support", type: "ticket.resolved", subject: customer, time, data: { ticket_id: "T-" + id } };
}
