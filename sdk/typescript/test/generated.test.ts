// A client generated from the served OpenAPI document alone (openapi-typescript types + openapi-fetch) calls every
// route family: what an integrator who never reads our code gets.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../src/schema.js";
import { adminKey, baseUrl, rulesText, ticket } from "./env.js";

function client(key?: string) {
  const generated = createClient<paths>({ baseUrl });
  if (key) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${key}`);
        return request;
      },
    };
    generated.use(auth);
  }
  return generated;
}

function ok<T>(result: { data?: T; error?: unknown; response: Response }, status = 200): T {
  assert.equal(result.response.status, status, `${result.response.url}: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

test("a generated client calls every route family", async () => {
  // Health and tenants (admin key).
  assert.equal(ok(await client().GET("/health")) !== undefined, true);
  const admin = client(adminKey);
  const tenant = ok(await admin.POST("/v1/tenants", { body: { id: "ts-generated" } }), 201);
  ok(await admin.POST("/v1/tenants/{tenant}/keys", { params: { path: { tenant: "ts-generated" } } }), 201);
  const api = client(tenant.apiKey);

  // Rule sets.
  const ruleSets = ok(await api.GET("/v1/rulesets"));
  assert.ok(ruleSets.length >= 1);
  const current = ok(await api.GET("/v1/rulesets/{version}", { params: { path: { version: ruleSets[0].version } } }));
  const uploaded = ok(await api.POST("/v1/rulesets", { body: { files: current.files?.length ? current.files : [{ path: "support.rules", text: rulesText }], comment: "the same rules, uploaded" } }), 201);
  assert.equal(uploaded.version, ruleSets[0].version + 1);

  // Customers, contract, credits.
  ok(await api.POST("/v1/customers", { body: { id: "acme", name: "Acme" } }), 201);
  ok(await api.GET("/v1/customers"));
  ok(await api.GET("/v1/customers/{customer}", { params: { path: { customer: "acme" } } }));
  ok(await api.PUT("/v1/customers/{customer}/contract", { params: { path: { customer: "acme" } }, body: { contract: "standard", effectiveFrom: "2026-01-01" } }));
  const grant = ok(await api.POST("/v1/customers/{customer}/credits", { params: { path: { customer: "acme" } }, body: { amount: "1.00", currency: "USD" } }), 201);
  assert.equal(grant.amount, "1.00");
  ok(await api.GET("/v1/customers/{customer}/credits", { params: { path: { customer: "acme" } } }));

  // Events: one, a batch, a rejected one, the rejected list and its replay.
  const cloudEvent = { specversion: "1.0", datacontenttype: "application/json", ...ticket("g1") };
  const single = ok(await api.POST("/v1/events", { body: cloudEvent, headers: { "Content-Type": "application/cloudevents+json" } }));
  assert.equal(single.accepted, 1);
  const batch = ok(await api.POST("/v1/events", {
    body: [{ specversion: "1.0", ...ticket("g2") }, { specversion: "1.0", ...ticket("g3"), data: { nope: 1 } }] as never,
    headers: { "Content-Type": "application/cloudevents-batch+json" },
  }));
  assert.deepEqual([batch.accepted, batch.rejected], [1, 1]);
  assert.equal(ok(await api.GET("/v1/events/rejected")).length, 1);
  ok(await api.POST("/v1/events/rejected/replay"));

  // Usage and outcomes.
  const at = "2026-02-15T00:00:00Z";
  ok(await api.GET("/v1/customers/{customer}/usage", { params: { path: { customer: "acme" }, query: { at } } }));
  const outcomes = ok(await api.GET("/v1/customers/{customer}/outcomes", { params: { path: { customer: "acme" }, query: { at } } }));
  assert.equal(outcomes.outcomes.length, 2);
  const first = outcomes.outcomes[0];
  ok(await api.GET("/v1/customers/{customer}/outcomes/{outcome}/{key}", { params: { path: { customer: "acme", outcome: first.outcome, key: first.key } } }));

  // Invoices: preview, finalize, list, get, payment, corrections, void; guards.
  const preview = ok(await api.GET("/v1/customers/{customer}/invoices/preview", { params: { path: { customer: "acme" }, query: { at } } }));
  assert.equal(preview.invoices[0].subtotal, "4.00");
  const invoice = ok(await api.POST("/v1/customers/{customer}/invoices/finalize", { params: { path: { customer: "acme" } }, body: { periodFrom: "2026-02-01T00:00:00Z" } }));
  assert.equal(invoice.total, "3.00");
  assert.ok(ok(await api.GET("/v1/invoices", { params: { query: { customer: "acme" } } })).some((i) => i.id === invoice.id));
  ok(await api.GET("/v1/invoices/{invoice}", { params: { path: { invoice: invoice.id } } }));
  ok(await api.GET("/v1/invoices/{invoice}/payment", { params: { path: { invoice: invoice.id } } }));
  ok(await api.POST("/v1/customers/{customer}/corrections", { params: { path: { customer: "acme" } } }));
  ok(await api.GET("/v1/guards/held"));
  ok(await api.GET("/v1/guards/alerts"));
  const voided = ok(await api.POST("/v1/invoices/{invoice}/void", { params: { path: { invoice: invoice.id } }, body: { reason: "generated client" } }));
  assert.equal(voided.status, "void");
  // Releasing an invoice no guard holds is refused as a problem the generated types describe.
  const release = await api.POST("/v1/invoices/{invoice}/release", { params: { path: { invoice: invoice.id } } });
  assert.ok(release.response.status >= 400 && release.response.status < 500);
  assert.equal(typeof release.error?.title, "string");

  // Entitlements and balances.
  ok(await api.GET("/v1/customers/{customer}/entitlements", { params: { path: { customer: "acme" }, query: { at } } }));
  const missingFeature = await api.GET("/v1/customers/{customer}/entitlements/{feature}", { params: { path: { customer: "acme", feature: "seats" } } });
  assert.equal(missingFeature.response.status, 404);
  const check = await api.POST("/v1/customers/{customer}/entitlements/{feature}/check", { params: { path: { customer: "acme", feature: "seats" } }, body: { quantity: "1" } });
  assert.equal(check.response.status, 404);
  ok(await api.GET("/v1/customers/{customer}/balance", { params: { path: { customer: "acme" } } }));

  // Audit.
  assert.ok(ok(await api.GET("/v1/audit")).length > 0);

  // Webhooks.
  const hook = ok(await api.POST("/v1/webhooks", { body: { url: "http://127.0.0.1:9/hook", events: ["invoice.finalized"] } }), 201);
  assert.ok(ok(await api.GET("/v1/webhooks")).some((w) => w.id === hook.id));
  ok(await api.GET("/v1/webhooks/deliveries"));
  ok(await api.DELETE("/v1/webhooks/{id}", { params: { path: { id: hook.id } } }), 204);

  // Payments, and a signed provider webhook (anonymous).
  const secret = "whsec_generated";
  ok(await api.PUT("/v1/payments/accounts/{provider}", { params: { path: { provider: "razorpay" } }, body: { keyId: "rzp_test", keySecret: "s", webhookSecret: secret, apiBase: "http://127.0.0.1:9" } }));
  ok(await api.GET("/v1/payments/accounts"));
  ok(await api.GET("/v1/payments/dead-letters"));
  ok(await api.PUT("/v1/customers/{customer}/payment-provider", { params: { path: { customer: "acme" } }, body: { provider: "none" } }));
  ok(await api.GET("/v1/customers/{customer}/payment-provider", { params: { path: { customer: "acme" } } }));
  const requeue = await api.POST("/v1/payments/outbox/{id}/requeue", { params: { path: { id: "missing" } } });
  assert.equal(requeue.response.status, 404);
  const body = JSON.stringify({ entity: "event", event: "payment.captured", payload: {} });
  const signature = createHmac("sha256", secret).update(body).digest("hex");
  const received = ok(await client().POST("/v1/webhooks/razorpay/{tenant}", {
    params: { path: { tenant: "ts-generated" }, header: { "X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": "evt_g1" } },
    body: JSON.parse(body),
    bodySerializer: () => body,
  }));
  assert.equal(received.received, true);
  const stripe = await client().POST("/v1/webhooks/stripe/{tenant}", {
    params: { path: { tenant: "ts-generated" }, header: { "Stripe-Signature": "t=1,v1=00" } },
    body: { id: "evt_1", type: "invoice.paid" },
  });
  assert.equal(stripe.response.status, 400);
});
