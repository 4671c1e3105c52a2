using LiteDB;
using RulesBilling.Engine.Credits;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Rating;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// Hand-written mapping between the store's records and LiteDB documents. It never touches a reflection-based
/// BsonMapper, which sidesteps the 5.0.21 mapper race (#2536) and constructor-parameter records entirely.
/// Instants are stored as UTC ticks (LiteDB's own DateTime keeps only milliseconds and reads back local time);
/// decimals use LiteDB's native decimal, which keeps all 96 bits and the scale (1.10 stays 1.10).
/// </summary>
internal static class BsonDocuments
{
    public static BsonDocument Event(string key, StoredEvent e)
    {
        var document = EventWithoutFields(key, e);
        if (e.Fields is { } fields) document["fields"] = new BsonValue(fields.ToArray());
        if (EventExtensions.ToJson(e.Extensions) is { } extensions) document["ext"] = extensions;
        return document;
    }

    private static BsonDocument EventWithoutFields(string key, StoredEvent e) => new()
    {
        ["_id"] = key,
        ["tenant"] = e.Tenant,
        ["tc"] = StoreKey.Compose(e.Tenant, e.Subject),
        ["source"] = e.Source,
        ["id"] = e.Id,
        ["type"] = e.Type,
        ["subject"] = e.Subject,
        ["time"] = e.Time.UtcTicks,
        ["storedAt"] = e.StoredAt.UtcTicks,
        ["seq"] = e.Sequence,
        ["data"] = e.DataJson,
    };

    // Files written before typed storage have no "fields": those events bind from their JSON, as they always did.
    public static StoredEvent Event(BsonDocument d) => new(
        d["tenant"].AsString, d["source"].AsString, d["id"].AsString, d["type"].AsString, d["subject"].AsString,
        Instant(d["time"]), Instant(d["storedAt"]), d["seq"].AsInt64, d["data"].AsString)
    {
        Fields = d.TryGetValue("fields", out var fields) && fields.IsBinary ? TypedFields.Own(fields.AsBinary) : null,
        Extensions = EventExtensions.FromJson(d.TryGetValue("ext", out var ext) && ext.IsString ? ext.AsString : null),
    };

    public static BsonDocument Rejected(RejectedEvent r) => new()
    {
        ["_id"] = StoreKey.Compose(r.Tenant, r.RejectionId),
        ["tenant"] = r.Tenant,
        ["rejectionId"] = r.RejectionId,
        ["source"] = Text(r.Source),
        ["id"] = Text(r.Id),
        ["type"] = Text(r.Type),
        ["raw"] = r.RawJson,
        ["reason"] = r.Reason,
        ["rejectedAt"] = r.RejectedAt.UtcTicks,
        ["attempts"] = r.Attempts,
    };

    public static RejectedEvent Rejected(BsonDocument d) => new(
        d["tenant"].AsString, d["rejectionId"].AsString, NullableText(d["source"]), NullableText(d["id"]),
        NullableText(d["type"]), d["raw"].AsString, d["reason"].AsString, Instant(d["rejectedAt"]), d["attempts"].AsInt32);

    public static BsonDocument Invoice(Invoice i) => new BsonDocument
    {
        ["_id"] = StoreKey.Compose(i.Tenant, i.Id),
        ["tenant"] = i.Tenant,
        ["tc"] = StoreKey.Compose(i.Tenant, i.Customer),
        ["invoiceId"] = i.Id,
        ["number"] = Text(i.Number),
        ["kind"] = i.Kind.ToString(),
        ["corrects"] = Text(i.Corrects),
        ["customer"] = i.Customer,
        ["contract"] = i.Contract,
        ["versions"] = new BsonArray(i.Versions.Select(v => new BsonValue(v))),
        ["currency"] = i.Currency,
        ["periodFrom"] = i.PeriodFrom.UtcTicks,
        ["periodTo"] = i.PeriodTo.UtcTicks,
        ["status"] = i.Status.ToString(),
        ["lines"] = new BsonArray(i.Lines.Select(Line)),
        ["subtotal"] = i.Subtotal,
        ["creditsApplied"] = i.CreditsApplied,
        ["total"] = i.Total,
        ["guards"] = new BsonArray(i.Guards.Select(Guard)),
        ["credits"] = new BsonArray(i.Credits.Select(c => new BsonDocument { ["grant"] = c.GrantId, ["amount"] = c.Amount })),
        ["ruleSetHash"] = i.RuleSetHash,
        ["voidedAt"] = i.VoidedAt is { } voidedAt ? new BsonValue(voidedAt.UtcTicks) : BsonValue.Null,
        ["voidReason"] = Text(i.VoidReason),
    }.WithExclusions(i.Excluded).WithIssuedAt(i.IssuedAt).WithThreshold(i.Threshold).WithTaxes(i.Taxes);

    /// <summary>Only threshold invoices carry what they bill, so other documents keep their shape.</summary>
    private static BsonDocument WithThreshold(this BsonDocument d, ThresholdCrossing? threshold)
    {
        if (threshold is not null)
        {
            d["threshold"] = new BsonDocument
            {
                ["index"] = threshold.Index,
                ["amounts"] = new BsonArray(threshold.Amounts.Select(a => new BsonValue(a))),
                ["crossedAt"] = threshold.CrossedAt.UtcTicks,
                ["usageAmount"] = threshold.UsageAmount,
            };
        }
        return d;
    }

    /// <summary>Only taxed invoices carry their taxes, so other documents keep their shape.</summary>
    private static BsonDocument WithTaxes(this BsonDocument d, IReadOnlyList<InvoiceTax> taxes)
    {
        if (taxes.Count > 0)
        {
            d["taxes"] = new BsonArray(taxes.Select(t => new BsonDocument
            {
                ["tax"] = t.Tax, ["label"] = t.Label, ["rate"] = t.Rate, ["inclusive"] = t.Inclusive,
                ["jurisdiction"] = Text(t.Jurisdiction), ["taxable"] = t.Taxable, ["amount"] = t.Amount,
            }));
        }
        return d;
    }

    private static BsonDocument WithLineTaxes(this BsonDocument d, IReadOnlyList<LineTax> taxes)
    {
        if (taxes.Count > 0)
            d["taxes"] = new BsonArray(taxes.Select(t => new BsonDocument { ["tax"] = t.Tax, ["amount"] = t.Amount }));
        return d;
    }

    /// <summary>Only correction documents carry their issue time, so other documents keep their shape.</summary>
    private static BsonDocument WithIssuedAt(this BsonDocument d, DateTimeOffset? issuedAt)
    {
        if (issuedAt is { } at) d["issuedAt"] = at.UtcTicks;
        return d;
    }

    /// <summary>Invoice-level exclusions are stored only when there are any, so other documents keep their shape.</summary>
    private static BsonDocument WithExclusions(this BsonDocument d, IReadOnlyList<InvoiceExclusion> excluded)
    {
        if (excluded.Count > 0)
        {
            d["excluded"] = new BsonArray(excluded.Select(x => new BsonDocument
            {
                ["outcome"] = x.Outcome, ["id"] = x.Id, ["reason"] = x.Reason, ["detail"] = Text(x.Detail),
            }));
        }
        return d;
    }

    public static Invoice Invoice(BsonDocument d) => new(
        d["invoiceId"].AsString,
        NullableText(d["number"]),
        Enum.Parse<InvoiceKind>(d["kind"].AsString),
        NullableText(d["corrects"]),
        d["tenant"].AsString,
        d["customer"].AsString,
        d["contract"].AsString,
        d["versions"].AsArray.Select(v => v.AsInt32).ToList(),
        d["currency"].AsString,
        Instant(d["periodFrom"]),
        Instant(d["periodTo"]),
        Enum.Parse<InvoiceStatus>(d["status"].AsString),
        d["lines"].AsArray.Select(l => Line(l.AsDocument)).ToList(),
        d["subtotal"].AsDecimal,
        d["creditsApplied"].AsDecimal,
        d["total"].AsDecimal,
        d["guards"].AsArray.Select(g => Guard(g.AsDocument)).ToList(),
        d["credits"].AsArray.Select(c => new CreditApplication(c["grant"].AsString, c["amount"].AsDecimal)).ToList(),
        d["ruleSetHash"].AsString)
    {
        // Documents stored before voids were recorded have neither field.
        VoidedAt = d.TryGetValue("voidedAt", out var voidedAt) && !voidedAt.IsNull ? Instant(voidedAt) : null,
        VoidReason = d.TryGetValue("voidReason", out var reason) ? NullableText(reason) : null,
        IssuedAt = d.TryGetValue("issuedAt", out var issuedAt) && !issuedAt.IsNull ? Instant(issuedAt) : null,
        Excluded = d.TryGetValue("excluded", out var excluded)
            ? excluded.AsArray.Select(x => new InvoiceExclusion(x["outcome"].AsString, x["id"].AsString, x["reason"].AsString, NullableText(x["detail"]))).ToList()
            : [],
        Threshold = d.TryGetValue("threshold", out var threshold)
            ? new ThresholdCrossing(threshold["index"].AsInt32, threshold["amounts"].AsArray.Select(a => a.AsDecimal).ToList(),
                Instant(threshold["crossedAt"]), threshold["usageAmount"].AsDecimal)
            : null,
        Taxes = d.TryGetValue("taxes", out var taxes)
            ? taxes.AsArray.Select(t => new InvoiceTax(t["tax"].AsString, t["label"].AsString, t["rate"].AsDecimal, t["inclusive"].AsBoolean,
                NullableText(t["jurisdiction"]), t["taxable"].AsDecimal, t["amount"].AsDecimal)).ToList()
            : [],
    };

    public static BsonDocument Grant(CreditGrant g) => new()
    {
        ["_id"] = StoreKey.Compose(g.Tenant, g.Id),
        ["tenant"] = g.Tenant,
        ["tc"] = StoreKey.Compose(g.Tenant, g.Customer),
        ["grantId"] = g.Id,
        ["customer"] = g.Customer,
        ["currency"] = g.Currency,
        ["amount"] = g.Amount,
        ["priority"] = g.Priority,
        ["grantedAt"] = g.GrantedAt.UtcTicks,
        ["expiresAt"] = g.ExpiresAt is { } e ? new BsonValue(e.UtcTicks) : BsonValue.Null,
        ["description"] = Text(g.Description),
    };

    public static CreditGrant Grant(BsonDocument d) => new(
        d["tenant"].AsString, d["grantId"].AsString, d["customer"].AsString, d["currency"].AsString, d["amount"].AsDecimal,
        d["priority"].AsInt32, Instant(d["grantedAt"]), d["expiresAt"].IsNull ? null : Instant(d["expiresAt"]),
        NullableText(d["description"]));

    public static BsonDocument Ledger(CreditLedgerEntry e, long sequence) => new()
    {
        ["_id"] = StoreKey.Compose(e.Tenant, e.Id),
        ["tenant"] = e.Tenant,
        ["tc"] = StoreKey.Compose(e.Tenant, e.Customer),
        ["entryId"] = e.Id,
        ["customer"] = e.Customer,
        ["grant"] = e.GrantId,
        ["currency"] = e.Currency,
        ["amount"] = e.Amount,
        ["balanceAfter"] = e.BalanceAfter,
        ["kind"] = e.Kind,
        ["invoice"] = Text(e.InvoiceId),
        ["at"] = e.At.UtcTicks,
        ["seq"] = sequence,
    };

    public static CreditLedgerEntry Ledger(BsonDocument d) => new(
        d["tenant"].AsString, d["entryId"].AsString, d["customer"].AsString, d["grant"].AsString, d["currency"].AsString,
        d["amount"].AsDecimal, d["balanceAfter"].AsDecimal, d["kind"].AsString, NullableText(d["invoice"]), Instant(d["at"]));

    private static BsonDocument Line(InvoiceLine l) => new BsonDocument
    {
        ["id"] = l.Id,
        ["kind"] = l.Kind.ToString(),
        ["description"] = l.Description,
        ["rule"] = l.Rule,
        ["contract"] = l.Contract,
        ["version"] = l.Version,
        ["ruleFileHash"] = l.RuleFileHash,
        ["segmentFrom"] = l.SegmentFrom.UtcTicks,
        ["segmentTo"] = l.SegmentTo.UtcTicks,
        ["quantity"] = l.Quantity,
        ["unitPrice"] = Number(l.UnitPrice),
        ["amount"] = l.Amount,
        ["tiers"] = new BsonArray(l.Tiers.Select(t => new BsonDocument
        {
            ["from"] = t.From, ["upTo"] = Number(t.UpTo), ["quantity"] = t.Quantity, ["unitPrice"] = t.UnitPrice, ["amount"] = t.Amount,
        })),
        ["events"] = new BsonArray(l.Events.Select(e => new BsonValue(e))),
        ["excluded"] = new BsonArray(l.Excluded.Select(x => new BsonDocument
        {
            ["id"] = x.Id, ["reason"] = x.Reason, ["detail"] = Text(x.Detail),
        })),
        ["attribution"] = new BsonArray(l.Attribution.Select(a => new BsonDocument
        {
            ["dimension"] = a.Dimension, ["value"] = Text(a.Value), ["amount"] = a.Amount,
        })),
        ["note"] = Text(l.Note),
        ["explanation"] = Text(l.Explanation),
        ["breakdown"] = new BsonArray(l.Breakdown.Select(b => new BsonDocument
        {
            ["kind"] = b.Kind, ["text"] = b.Text, ["quantity"] = Number(b.Quantity), ["unitPrice"] = Number(b.UnitPrice), ["amount"] = b.Amount,
        })),
        ["pending"] = new BsonArray(l.Pending.Select(p => new BsonDocument { ["id"] = p.Id, ["billableAt"] = p.BillableAt.UtcTicks })),
    }.WithLineTaxes(l.Taxes);

    private static InvoiceLine Line(BsonDocument d) => new(
        d["id"].AsString,
        Enum.Parse<LineKind>(d["kind"].AsString),
        d["description"].AsString,
        d["rule"].AsString,
        d["contract"].AsString,
        d["version"].AsInt32,
        d["ruleFileHash"].AsString,
        Instant(d["segmentFrom"]),
        Instant(d["segmentTo"]),
        d["quantity"].AsDecimal,
        NullableNumber(d["unitPrice"]),
        d["amount"].AsDecimal,
        d["tiers"].AsArray.Select(t => new TierPart(
            t["from"].AsDecimal, NullableNumber(t["upTo"]), t["quantity"].AsDecimal, t["unitPrice"].AsDecimal, t["amount"].AsDecimal)).ToList(),
        d["events"].AsArray.Select(e => e.AsString).ToList(),
        d["excluded"].AsArray.Select(x => new LineExclusion(x["id"].AsString, x["reason"].AsString, NullableText(x["detail"]))).ToList(),
        d["attribution"].AsArray.Select(a => new Attribution(a["dimension"].AsString, NullableText(a["value"]), a["amount"].AsDecimal)).ToList(),
        NullableText(d["note"]))
    {
        // Lines stored before explanations existed read back without them.
        Explanation = d.TryGetValue("explanation", out var explanation) ? NullableText(explanation) : null,
        Breakdown = d.TryGetValue("breakdown", out var breakdown)
            ? breakdown.AsArray.Select(b => new LineStep(b["kind"].AsString, b["text"].AsString,
                NullableNumber(b["quantity"]), NullableNumber(b["unitPrice"]), b["amount"].AsDecimal)).ToList()
            : [],
        Pending = d.TryGetValue("pending", out var pending)
            ? pending.AsArray.Select(p => new PendingOutcome(p["id"].AsString, Instant(p["billableAt"]))).ToList()
            : [],
        Taxes = d.TryGetValue("taxes", out var taxes)
            ? taxes.AsArray.Select(t => new LineTax(t["tax"].AsString, t["amount"].AsDecimal)).ToList()
            : [],
    };

    private static BsonDocument Guard(GuardFinding g) => new()
    {
        ["guard"] = g.Guard, ["condition"] = g.Condition, ["action"] = g.Action, ["triggered"] = g.Triggered, ["detail"] = g.Detail,
        ["label"] = Text(g.Label), ["description"] = Text(g.Description),
    };

    private static GuardFinding Guard(BsonDocument d) => new(
        d["guard"].AsString, d["condition"].AsString, d["action"].AsString, d["triggered"].AsBoolean, d["detail"].AsString)
    {
        Label = d.TryGetValue("label", out var label) ? NullableText(label) : null,
        Description = d.TryGetValue("description", out var description) ? NullableText(description) : null,
    };

    internal static DateTimeOffset Instant(BsonValue ticks) => new(ticks.AsInt64, TimeSpan.Zero);

    private static BsonValue Text(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    internal static string? NullableText(BsonValue value) => value.IsNull ? null : value.AsString;

    private static BsonValue Number(decimal? value) => value is { } v ? new BsonValue(v) : BsonValue.Null;

    private static decimal? NullableNumber(BsonValue value) => value.IsNull ? null : value.AsDecimal;
}
