using Npgsql;
using NpgsqlTypes;
using RulesBilling.Engine.Invoicing;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>Invoices and the per-tenant invoice numbers.</summary>
public sealed partial class PostgresBillingStore
{
    public void SaveInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var document = new NpgsqlParameter("document", NpgsqlDbType.Jsonb) { Value = InvoiceDocument.Write(invoice) };
        Write(scope =>
        {
            using var command = scope.Command(
                """
                INSERT INTO invoices (tenant, id, customer, number, kind, status, currency, period_from_ticks, period_to_ticks,
                                      subtotal, credits_applied, total, document)
                VALUES (@tenant, @id, @customer, @number, @kind, @status, @currency, @from, @to, @subtotal, @credits, @total, @document)
                ON CONFLICT (tenant, id) DO UPDATE SET
                    customer = EXCLUDED.customer, number = EXCLUDED.number, kind = EXCLUDED.kind, status = EXCLUDED.status,
                    currency = EXCLUDED.currency, period_from_ticks = EXCLUDED.period_from_ticks,
                    period_to_ticks = EXCLUDED.period_to_ticks, subtotal = EXCLUDED.subtotal,
                    credits_applied = EXCLUDED.credits_applied, total = EXCLUDED.total, document = EXCLUDED.document
                """,
                ("tenant", invoice.Tenant), ("id", invoice.Id), ("customer", invoice.Customer), ("number", invoice.Number),
                ("kind", invoice.Kind.ToString()), ("status", invoice.Status.ToString()), ("currency", invoice.Currency),
                ("from", invoice.PeriodFrom.UtcTicks), ("to", invoice.PeriodTo.UtcTicks), ("subtotal", invoice.Subtotal),
                ("credits", invoice.CreditsApplied), ("total", invoice.Total));
            command.Parameters.Add(document.Clone());
            command.ExecuteNonQuery();
        });
    }

    public Invoice? FindInvoice(string tenant, string invoiceId) => Read(scope =>
    {
        using var command = scope.Command("SELECT document FROM invoices WHERE tenant = @tenant AND id = @id", ("tenant", tenant), ("id", invoiceId));
        return command.ExecuteScalar() is string json ? InvoiceDocument.Read(json) : null;
    });

    public IReadOnlyList<Invoice> ListInvoices(string tenant, string? customer = null)
    {
        var sql = "SELECT document FROM invoices WHERE tenant = @tenant" + (customer is null ? "" : " AND customer = @customer");
        return StoreOrder.Invoices(Read(scope =>
        {
            using var command = scope.Command(sql, ("tenant", tenant), ("customer", customer));
            return ReadAll(command, r => InvoiceDocument.Read(r.GetString(0)));
        }));
    }

    public long NextInvoiceNumber(string tenant) => Write(scope =>
    {
        // The updated row stays locked until the surrounding transaction ends: numbers are gap-free across nodes.
        using var command = scope.Command(
            """
            INSERT INTO invoice_counters (tenant, last_number) VALUES (@tenant, 1)
            ON CONFLICT (tenant) DO UPDATE SET last_number = invoice_counters.last_number + 1
            RETURNING last_number
            """,
            ("tenant", tenant));
        return (long)command.ExecuteScalar()!;
    });
}
