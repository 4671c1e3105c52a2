import assert from "node:assert/strict";
import { test } from "node:test";
import { RulesBillingClient, RulesBillingError, routes } from "../src/index.js";
import { baseUrl, document, newTenant, ticket } from "./env.js";

test("every route the client calls is in the served OpenAPI document under the same operationId", () => {
  for (const [operationId, [method, path]] of Object.entries(routes)) {
    const operation = document.paths[path]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${path} is not in the document`);
    assert.equal(operation.operationId, operationId);
  }
});

test("events, batches, preview, finalize, get, list and void through the client", async () => {
  const client = new RulesBillingClient({ baseUrl, apiKey: await newTenant("ts-client") });
  await client.createCustomer("acme", "Acme Corp");
  assert.equal((await client.getCustomer("acme")).id, "acme");

  const one = await client.sendEvent(ticket("e1"));
  assert.equal(one.accepted, 1);
  const many = await client.sendEvents([ticket("e2"), ticket("e3"), ticket("e1")]);
  assert.deepEqual([many.accepted, many.duplicates, many.rejected], [2, 1, 0]);

  const preview = await client.previewInvoice("acme", "2026-02-15T00:00:00Z");
  assert.equal(preview.invoices[0].total, "6.00");
  assert.equal(typeof preview.invoices[0].lines[0].quantity, "string");

  const invoice = await client.finalizeInvoice("acme", "2026-02-01T00:00:00Z");
  assert.equal(invoice.total, "6.00");
  assert.equal(invoice.status, "finalized");
  assert.equal((await client.getInvoice(invoice.id)).id, invoice.id);
  assert.ok((await client.listInvoices("acme")).some((i) => i.id === invoice.id));
  const voided = await client.voidInvoice(invoice.id, "test");
  assert.equal(voided.status, "void");
  assert.equal(voided.voidReason, "test");

  const usage = await client.getUsage("acme", "2026-02-15T00:00:00Z");
  assert.equal(usage.customer, "acme");
  assert.equal((await client.getEntitlements("acme")).customer, "acme");
  assert.equal((await client.getBalance("acme")).customer, "acme");
});

test("a rejected event and a missing customer are RulesBillingErrors with the server's reason", async () => {
  const client = new RulesBillingClient({ baseUrl, apiKey: await newTenant("ts-errors") });
  await assert.rejects(client.sendEvent({ ...ticket("bad"), data: { other: 1 } }), (e: unknown) => {
    assert.ok(e instanceof RulesBillingError);
    assert.equal(e.status, 422);
    assert.match(e.detail ?? "", /ticket_id/);
    return true;
  });
  assert.equal((await client.listRejectedEvents()).length, 1);
  await assert.rejects(client.getCustomer("nobody"), (e: unknown) => e instanceof RulesBillingError && e.status === 404);
});

test("a retried batch sends the same event ids, so the server counts the retry as duplicates", async () => {
  const apiKey = await newTenant("ts-retry");
  let calls = 0;
  // The first attempt reaches the server and stores the events, then the answer is "lost" (503).
  const flaky: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    calls++;
    if (calls === 1) return new Response("{}", { status: 503, headers: { "Retry-After": "0" } });
    return response;
  };
  const client = new RulesBillingClient({ baseUrl, apiKey, fetch: flaky, retryDelayMs: 1 });
  const answer = await client.sendEvents([{ ...ticket("r1"), id: undefined }, { ...ticket("r2"), id: undefined }]);
  assert.equal(calls, 2);
  assert.deepEqual([answer.accepted, answer.duplicates], [0, 2]);
});

test("the batcher flushes in the background and on close", async () => {
  const client = new RulesBillingClient({ baseUrl, apiKey: await newTenant("ts-batcher") });
  const batcher = client.batcher({ maxBatch: 3, flushIntervalMs: 20 });
  batcher.add(ticket("b1"));
  batcher.add(ticket("b2"));
  // Below maxBatch: the timer sends them.
  for (let i = 0; i < 200 && batcher.totals.accepted < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(batcher.totals.accepted, 2);
  for (const id of ["b3", "b4", "b5", "b6"]) batcher.add(ticket(id));
  await batcher.close();
  assert.equal(batcher.pending, 0);
  assert.deepEqual(batcher.totals, { accepted: 6, duplicates: 0, rejected: 0 });
  const preview = await client.previewInvoice("acme", "2026-02-15T00:00:00Z");
  assert.equal(preview.invoices[0].total, "12.00");
});
