namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>Rejected events.</summary>
public sealed partial class PostgresBillingStore
{
    public void AddRejected(RejectedEvent rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        Write(scope => scope.Execute(
            """
            INSERT INTO rejected (tenant, rejection_id, source, id, type, raw_json, reason, rejected_at_ticks, attempts)
            VALUES (@tenant, @rejection_id, @source, @id, @type, @raw_json, @reason, @rejected_at, @attempts)
            ON CONFLICT (tenant, rejection_id) DO UPDATE SET
                source = EXCLUDED.source, id = EXCLUDED.id, type = EXCLUDED.type, raw_json = EXCLUDED.raw_json,
                reason = EXCLUDED.reason, rejected_at_ticks = EXCLUDED.rejected_at_ticks, attempts = EXCLUDED.attempts
            """,
            ("tenant", rejected.Tenant), ("rejection_id", rejected.RejectionId), ("source", rejected.Source), ("id", rejected.Id),
            ("type", rejected.Type), ("raw_json", rejected.RawJson), ("reason", rejected.Reason),
            ("rejected_at", rejected.RejectedAt.UtcTicks), ("attempts", rejected.Attempts)));
    }

    public IReadOnlyList<RejectedEvent> ReadRejected(string tenant) => StoreOrder.Rejected(Read(scope =>
    {
        using var command = scope.Command(
            "SELECT tenant, rejection_id, source, id, type, raw_json, reason, rejected_at_ticks, attempts FROM rejected WHERE tenant = @tenant",
            ("tenant", tenant));
        return ReadAll(command, r => new RejectedEvent(
            r.GetString(0), r.GetString(1), NullableText(r, 2), NullableText(r, 3), NullableText(r, 4),
            r.GetString(5), r.GetString(6), Instant(r.GetInt64(7)), r.GetInt32(8)));
    }));

    public void RemoveRejected(string tenant, string rejectionId) => Write(scope => scope.Execute(
        "DELETE FROM rejected WHERE tenant = @tenant AND rejection_id = @id", ("tenant", tenant), ("id", rejectionId)));
}
