// RulesBilling client for Node (>= 20, global fetch). Typed from the API's OpenAPI document (src/schema.ts, generated
// by openapi-typescript); no runtime dependencies.
import { randomUUID } from "node:crypto";
import type { components } from "./schema.js";

export type Schemas = components["schemas"];
export type Invoice = Schemas["Invoice"];
export type Preview = Schemas["Preview"];
export type Ingestion = Schemas["IngestionView"];
export type Customer = Schemas["CustomerView"];
export type Usage = Schemas["UsageView"];
export type Entitlements = Schemas["CustomerEntitlements"];
export type FeatureEntitlement = Schemas["FeatureEntitlement"];
export type UsageCheck = Schemas["UsageCheck"];
export type Balance = Schemas["CustomerBalance"];
export type CreditGrant = Schemas["CreditGrantView"];
export type RejectedEvent = Schemas["RejectedEventView"];
export type Problem = Schemas["Problem"];

/** Every route this client calls, as the OpenAPI document names it (checked against the served document in CI). */
export const routes = {
  ingestEvents: ["POST", "/v1/events"],
  listRejectedEvents: ["GET", "/v1/events/rejected"],
  replayRejectedEvents: ["POST", "/v1/events/rejected/replay"],
  createCustomer: ["POST", "/v1/customers"],
  listCustomers: ["GET", "/v1/customers"],
  getCustomer: ["GET", "/v1/customers/{customer}"],
  assignContract: ["PUT", "/v1/customers/{customer}/contract"],
  grantCredits: ["POST", "/v1/customers/{customer}/credits"],
  getUsage: ["GET", "/v1/customers/{customer}/usage"],
  previewInvoice: ["GET", "/v1/customers/{customer}/invoices/preview"],
  finalizeInvoice: ["POST", "/v1/customers/{customer}/invoices/finalize"],
  issueCorrections: ["POST", "/v1/customers/{customer}/corrections"],
  listInvoices: ["GET", "/v1/invoices"],
  getInvoice: ["GET", "/v1/invoices/{invoice}"],
  voidInvoice: ["POST", "/v1/invoices/{invoice}/void"],
  getEntitlements: ["GET", "/v1/customers/{customer}/entitlements"],
  checkEntitlement: ["POST", "/v1/customers/{customer}/entitlements/{feature}/check"],
  getBalance: ["GET", "/v1/customers/{customer}/balance"],
} as const;

export type OperationId = keyof typeof routes;

/** An event to send. id defaults to a new UUID (kept across retries), time to now, specversion to "1.0". */
export interface EventInput {
  id?: string;
  source: string;
  type: string;
  subject: string;
  time?: string | Date;
  data?: unknown;
  /** CloudEvents extension attributes such as traceparent. */
  extensions?: Record<string, string | number | boolean>;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Attempts after the first for 429, 502, 503, 504 and network errors (default 3). */
  retries?: number;
  /** First back-off in ms, doubled per attempt; a Retry-After header wins (default 200). */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

/** A problem+json answer (RFC 9457), or a network failure after the last retry (status 0). */
export class RulesBillingError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly problem: Record<string, unknown> | undefined,
  ) {
    super(detail ? `${status} ${title}: ${detail}` : `${status} ${title}`);
    this.name = "RulesBillingError";
  }
}

export type CloudEvent = Schemas["CloudEvent"];

const maxBatch = 1000;
const retryable = new Set([429, 502, 503, 504]);

export class RulesBillingClient {
  private readonly baseUrl: string;
  private readonly fetcher: typeof fetch;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetcher = options.fetch ?? fetch;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** The structured CloudEvent an input stands for; ids are assigned here, so every retry sends the same ones. */
  static toCloudEvent(input: EventInput): CloudEvent {
    const time = input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString());
    return {
      ...(input.extensions ?? {}),
      specversion: "1.0",
      id: input.id ?? randomUUID(),
      source: input.source,
      type: input.type,
      subject: input.subject,
      time,
      datacontenttype: "application/json",
      data: input.data as CloudEvent["data"],
    };
  }

  /** One event (application/cloudevents+json). A rejected event throws a 422 RulesBillingError with its reason. */
  sendEvent(input: EventInput): Promise<Ingestion> {
    return this.send<Ingestion>("ingestEvents", {}, { body: RulesBillingClient.toCloudEvent(input), contentType: "application/cloudevents+json", retry: true });
  }

  /** Any number of events, sent in batches of at most 1000; the answer sums them (duplicates count as sent). */
  async sendEvents(inputs: Iterable<EventInput | CloudEvent>): Promise<Ingestion> {
    const events = [...inputs].map((e) => ("specversion" in e ? (e as CloudEvent) : RulesBillingClient.toCloudEvent(e as EventInput)));
    const total: Ingestion = { accepted: 0, duplicates: 0, rejected: 0, events: [] };
    for (let start = 0; start < events.length; start += maxBatch) {
      const chunk = events.slice(start, start + maxBatch);
      const answer = await this.send<Ingestion>("ingestEvents", {}, { body: chunk, contentType: "application/cloudevents-batch+json", retry: true });
      total.accepted += answer.accepted;
      total.duplicates += answer.duplicates;
      total.rejected += answer.rejected;
      total.events.push(...answer.events.map((e) => ({ ...e, index: e.index + start })));
    }
    return total;
  }

  /** A buffer that sends when it holds maxBatch events, every flushIntervalMs, and on flush()/close(). */
  batcher(options: { maxBatch?: number; flushIntervalMs?: number; onError?: (error: unknown) => void } = {}): EventBatcher {
    return new EventBatcher(this, options.maxBatch ?? 500, options.flushIntervalMs ?? 1000, options.onError);
  }

  createCustomer(id: string, name?: string): Promise<Customer> {
    return this.send("createCustomer", {}, { body: { id, name } });
  }

  listCustomers(): Promise<Customer[]> {
    return this.send("listCustomers", {}, { retry: true });
  }

  getCustomer(customer: string): Promise<Customer> {
    return this.send("getCustomer", { customer }, { retry: true });
  }

  assignContract(customer: string, contract: string, options: { version?: number; effectiveFrom?: string } = {}): Promise<Customer> {
    return this.send("assignContract", { customer }, { body: { contract, ...options }, retry: true });
  }

  /** amount is a decimal string such as "25.00": money never travels as a binary float. */
  grantCredits(customer: string, grant: { amount: string; currency: string; priority?: number; expiresAt?: string; description?: string }): Promise<CreditGrant> {
    return this.send("grantCredits", { customer }, { body: grant });
  }

  getUsage(customer: string, at?: string | Date): Promise<Usage> {
    return this.send("getUsage", { customer }, { query: { at: iso(at) }, retry: true });
  }

  previewInvoice(customer: string, at?: string | Date): Promise<Preview> {
    return this.send("previewInvoice", { customer }, { query: { at: iso(at) }, retry: true });
  }

  /** Idempotent: finalizing the same period again returns the same invoice, so it is retried. */
  finalizeInvoice(customer: string, periodFrom: string | Date): Promise<Invoice> {
    return this.send("finalizeInvoice", { customer }, { body: { periodFrom: iso(periodFrom) }, retry: true });
  }

  issueCorrections(customer: string): Promise<Invoice[]> {
    return this.send("issueCorrections", { customer }, {});
  }

  listInvoices(customer?: string): Promise<Invoice[]> {
    return this.send("listInvoices", {}, { query: { customer }, retry: true });
  }

  getInvoice(invoice: string): Promise<Invoice> {
    return this.send("getInvoice", { invoice }, { retry: true });
  }

  voidInvoice(invoice: string, reason?: string): Promise<Invoice> {
    return this.send("voidInvoice", { invoice }, { body: { reason }, retry: true });
  }

  getEntitlements(customer: string, at?: string | Date): Promise<Entitlements> {
    return this.send("getEntitlements", { customer }, { query: { at: iso(at) }, retry: true });
  }

  checkEntitlement(customer: string, feature: string, quantity?: string): Promise<UsageCheck> {
    return this.send("checkEntitlement", { customer, feature }, { body: { quantity }, retry: true });
  }

  getBalance(customer: string): Promise<Balance> {
    return this.send("getBalance", { customer }, { retry: true });
  }

  listRejectedEvents(): Promise<RejectedEvent[]> {
    return this.send("listRejectedEvents", {}, { retry: true });
  }

  replayRejectedEvents(): Promise<Ingestion> {
    return this.send("replayRejectedEvents", {}, { retry: true });
  }

  private async send<T>(
    operation: OperationId,
    path: Record<string, string>,
    request: { body?: unknown; contentType?: string; query?: Record<string, string | undefined>; retry?: boolean },
  ): Promise<T> {
    const [method, template] = routes[operation];
    let url = this.baseUrl + template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ""));
    const query = Object.entries(request.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    if (query.length > 0) url += "?" + new URLSearchParams(query).toString();
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.apiKey}`, Accept: "application/json" };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["Content-Type"] = request.contentType ?? "application/json";
      body = JSON.stringify(request.body, (_, value) => (value === null ? undefined : value));
    }

    const attempts = request.retry ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetcher(url, { method, headers, body });
      } catch (error) {
        if (attempt >= attempts) throw new RulesBillingError(0, "Network error", String(error), undefined);
        await delay(this.retryDelayMs * 2 ** (attempt - 1));
        continue;
      }
      if (retryable.has(response.status) && attempt < attempts) {
        const after = Number(response.headers.get("Retry-After"));
        await response.arrayBuffer();
        await delay(Number.isFinite(after) && after > 0 ? after * 1000 : this.retryDelayMs * 2 ** (attempt - 1));
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        let problem: Record<string, unknown> | undefined;
        try {
          problem = JSON.parse(text) as Record<string, unknown>;
        } catch {
          problem = undefined;
        }
        throw new RulesBillingError(response.status, String(problem?.title ?? response.statusText), problem?.detail as string | undefined, problem);
      }
      return (text.length === 0 ? undefined : JSON.parse(text)) as T;
    }
  }
}

/** Buffers events and sends them in batches: when full, on a timer (which does not keep the process alive), on flush/close. */
export class EventBatcher {
  private buffer: CloudEvent[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private sending: Promise<void> = Promise.resolve();
  private closed = false;
  /** What every flush so far answered, summed. */
  readonly totals = { accepted: 0, duplicates: 0, rejected: 0 };

  constructor(
    private readonly client: RulesBillingClient,
    private readonly maxBatch: number,
    flushIntervalMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => void this.flush().catch((e) => this.onError?.(e)), flushIntervalMs);
    this.timer.unref();
  }

  /** Adds an event; its id is fixed now, so a retried or re-flushed batch is deduplicated by the server. */
  add(input: EventInput): CloudEvent {
    if (this.closed) throw new Error("the batcher is closed");
    const event = RulesBillingClient.toCloudEvent(input);
    this.buffer.push(event);
    if (this.buffer.length >= this.maxBatch) void this.flush().catch((e) => this.onError?.(e));
    return event;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Sends what is buffered; flushes run one after another. A failed batch goes back to the front of the buffer. */
  flush(): Promise<void> {
    // A failed flush must not stop the ones after it: each starts once the previous one settled.
    const run = this.sending.catch(() => undefined).then(async () => {
      if (this.buffer.length === 0) return;
      const batch = this.buffer;
      this.buffer = [];
      try {
        const answer = await this.client.sendEvents(batch);
        this.totals.accepted += answer.accepted;
        this.totals.duplicates += answer.duplicates;
        this.totals.rejected += answer.rejected;
      } catch (error) {
        this.buffer = batch.concat(this.buffer);
        throw error;
      }
    });
    this.sending = run;
    return run;
  }

  /** Stops the timer and sends what is left. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }
}

function iso(value: string | Date | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
