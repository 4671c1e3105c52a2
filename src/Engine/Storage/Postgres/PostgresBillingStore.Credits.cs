using RulesBilling.Engine.Credits;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>Credit grants and the append-only ledger.</summary>
public sealed partial class PostgresBillingStore
{
    public void SaveGrant(CreditGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        Write(scope => scope.Execute(
            """
            INSERT INTO grants (tenant, id, customer, currency, amount, priority, granted_at_ticks, expires_at_ticks, description)
            VALUES (@tenant, @id, @customer, @currency, @amount, @priority, @granted_at, @expires_at, @description)
            ON CONFLICT (tenant, id) DO UPDATE SET
                customer = EXCLUDED.customer, currency = EXCLUDED.currency, amount = EXCLUDED.amount,
                priority = EXCLUDED.priority, granted_at_ticks = EXCLUDED.granted_at_ticks,
                expires_at_ticks = EXCLUDED.expires_at_ticks, description = EXCLUDED.description
            """,
            ("tenant", grant.Tenant), ("id", grant.Id), ("customer", grant.Customer), ("currency", grant.Currency),
            ("amount", grant.Amount), ("priority", grant.Priority), ("granted_at", grant.GrantedAt.UtcTicks),
            ("expires_at", grant.ExpiresAt?.UtcTicks), ("description", grant.Description)));
    }

    public IReadOnlyList<CreditGrant> ListGrants(string tenant, string customer) => StoreOrder.Grants(Read(scope =>
    {
        using var command = scope.Command(
            """
            SELECT tenant, id, customer, currency, amount, priority, granted_at_ticks, expires_at_ticks, description
            FROM grants WHERE tenant = @tenant AND customer = @customer
            """,
            ("tenant", tenant), ("customer", customer));
        return ReadAll(command, r => new CreditGrant(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4), r.GetInt32(5),
            Instant(r.GetInt64(6)), r.IsDBNull(7) ? null : Instant(r.GetInt64(7)), NullableText(r, 8)));
    }));

    public void AppendLedger(CreditLedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Write(scope =>
        {
            // ON CONFLICT DO NOTHING instead of catching a unique violation: a failed statement would abort the
            // caller's whole transaction, while this leaves it usable after the refusal.
            using var command = scope.Command(
                """
                INSERT INTO ledger (tenant, id, customer, grant_id, currency, amount, balance_after, kind, invoice_id, at_ticks)
                VALUES (@tenant, @id, @customer, @grant, @currency, @amount, @balance, @kind, @invoice, @at)
                ON CONFLICT (tenant, id) DO NOTHING
                """,
                ("tenant", entry.Tenant), ("id", entry.Id), ("customer", entry.Customer), ("grant", entry.GrantId),
                ("currency", entry.Currency), ("amount", entry.Amount), ("balance", entry.BalanceAfter), ("kind", entry.Kind),
                ("invoice", entry.InvoiceId), ("at", entry.At.UtcTicks));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new InvalidOperationException($"ledger entry '{entry.Id}' already exists for tenant '{entry.Tenant}'; ledger entries are append-only");
            }
        });
    }

    public IReadOnlyList<CreditLedgerEntry> ReadLedger(string tenant, string customer) => Read(scope =>
    {
        using var command = scope.Command(
            """
            SELECT tenant, id, customer, grant_id, currency, amount, balance_after, kind, invoice_id, at_ticks
            FROM ledger WHERE tenant = @tenant AND customer = @customer ORDER BY seq
            """,
            ("tenant", tenant), ("customer", customer));
        return ReadAll(command, r => new CreditLedgerEntry(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDecimal(5), r.GetDecimal(6),
            r.GetString(7), NullableText(r, 8), Instant(r.GetInt64(9))));
    });
}
