using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Storage.Postgres;

/// <summary>
/// <see cref="ITenantStore"/> in the same PostgreSQL database and schema as the billing store (0003_host.sql), on
/// its connections: a write made inside the billing store's transaction joins it. Check-then-insert operations are
/// single statements (ON CONFLICT DO NOTHING) or run under a transaction-level advisory lock, so several nodes
/// never hand out the same rule-set version or accept the same tenant twice.
/// </summary>
public sealed class PostgresTenantStore(PostgresBillingStore store) : ITenantStore
{
    public bool AddTenant(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return store.Write(scope =>
        {
            using var command = scope.Command(
                "INSERT INTO tenants (id, name, created_at_ticks) VALUES (@id, @name, @at) ON CONFLICT DO NOTHING",
                ("id", tenant.Id), ("name", tenant.Name), ("at", tenant.CreatedAt.UtcTicks));
            return command.ExecuteNonQuery() == 1;
        });
    }

    public TenantRecord? FindTenant(string id) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT id, name, created_at_ticks FROM tenants WHERE id = @id", ("id", id));
        return PostgresBillingStore.ReadAll(command, r => new TenantRecord(r.GetString(0), r.GetString(1), PostgresBillingStore.Instant(r.GetInt64(2))))
            .SingleOrDefault();
    });

    public void AddApiKey(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        store.Write(scope => scope.Execute(
            "INSERT INTO api_keys (key_hash, tenant, prefix, created_at_ticks) VALUES (@hash, @tenant, @prefix, @at)",
            ("hash", key.KeyHash), ("tenant", key.Tenant), ("prefix", key.Prefix), ("at", key.CreatedAt.UtcTicks)));
    }

    public ApiKeyRecord? FindApiKey(string keyHash) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT key_hash, tenant, prefix, created_at_ticks FROM api_keys WHERE key_hash = @hash", ("hash", keyHash));
        return PostgresBillingStore.ReadAll(command, r => new ApiKeyRecord(r.GetString(0), r.GetString(1), r.GetString(2), PostgresBillingStore.Instant(r.GetInt64(3))))
            .SingleOrDefault();
    });

    public bool AddCustomer(CustomerRecord customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return store.Write(scope =>
        {
            using var command = scope.Command(
                "INSERT INTO customers (tenant, id, name, created_at_ticks) VALUES (@tenant, @id, @name, @at) ON CONFLICT DO NOTHING",
                ("tenant", customer.Tenant), ("id", customer.Id), ("name", customer.Name), ("at", customer.CreatedAt.UtcTicks));
            return command.ExecuteNonQuery() == 1;
        });
    }

    public void UpdateCustomer(CustomerRecord customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        store.Write(scope => scope.Execute(
            """
            INSERT INTO customers (tenant, id, name, created_at_ticks) VALUES (@tenant, @id, @name, @at)
            ON CONFLICT (tenant, id) DO UPDATE SET name = EXCLUDED.name, created_at_ticks = EXCLUDED.created_at_ticks
            """,
            ("tenant", customer.Tenant), ("id", customer.Id), ("name", customer.Name), ("at", customer.CreatedAt.UtcTicks)));
    }

    public CustomerRecord? FindCustomer(string tenant, string id) => Customers("tenant = @tenant AND id = @id", ("tenant", tenant), ("id", id)).SingleOrDefault();

    public IReadOnlyList<CustomerRecord> ListCustomers(string tenant) =>
        Customers("tenant = @tenant", ("tenant", tenant)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();

    public void SetContractAssignment(string tenant, ContractAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        store.Write(scope => scope.Execute(
            """
            INSERT INTO contract_assignments (tenant, customer, effective_from, contract, version)
            VALUES (@tenant, @customer, @from, @contract, @version)
            ON CONFLICT (tenant, customer, effective_from) DO UPDATE SET contract = EXCLUDED.contract, version = EXCLUDED.version
            """,
            ("tenant", tenant), ("customer", assignment.Customer), ("from", assignment.EffectiveFrom),
            ("contract", assignment.Contract), ("version", assignment.Version)));
    }

    public IReadOnlyList<ContractAssignment> ListContractAssignments(string tenant, string customer) => store.Read(scope =>
    {
        using var command = scope.Command(
            "SELECT customer, contract, version, effective_from FROM contract_assignments WHERE tenant = @tenant AND customer = @customer",
            ("tenant", tenant), ("customer", customer));
        return PostgresBillingStore.ReadAll(command, r => new ContractAssignment(
                r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetFieldValue<DateOnly>(3)))
            .OrderBy(a => a.EffectiveFrom)
            .ToList();
    });

    public StoredRuleSet AddRuleSet(string tenant, string hash, IReadOnlyList<StoredRuleFile> files, DateTimeOffset uploadedAt, string? comment)
    {
        ArgumentNullException.ThrowIfNull(files);
        var filesJson = JsonSerializer.Serialize(files.Select(f => new FileDocument(f.Path, f.Text)).ToList(), FileJson);
        return store.Write(scope =>
        {
            // Two nodes uploading for the same tenant at once take turns here, so each gets its own version number.
            scope.Execute("SELECT pg_advisory_xact_lock(hashtextextended('rulesbilling.ruleset.' || @tenant, 0))", ("tenant", tenant));
            using var command = scope.Command(
                """
                INSERT INTO rule_sets (tenant, version, hash, files, uploaded_at_ticks, comment)
                SELECT @tenant, coalesce(max(version), 0) + 1, @hash, @files, @at, @comment FROM rule_sets WHERE tenant = @tenant
                RETURNING version
                """,
                ("tenant", tenant), ("hash", hash), ("at", uploadedAt.UtcTicks), ("comment", comment));
            command.Parameters.Add(new NpgsqlParameter("files", NpgsqlDbType.Jsonb) { Value = filesJson });
            var version = (int)command.ExecuteScalar()!;
            return new StoredRuleSet(tenant, version, hash, files, uploadedAt, comment);
        });
    }

    public IReadOnlyList<StoredRuleSet> ListRuleSets(string tenant) =>
        RuleSets("tenant = @tenant", ("tenant", tenant)).OrderBy(r => r.Version).ToList();

    public StoredRuleSet? FindRuleSet(string tenant, int version) =>
        RuleSets("tenant = @tenant AND version = @version", ("tenant", tenant), ("version", version)).SingleOrDefault();

    /// <summary>
    /// The tenant's highest rule-set version (0 when none was uploaded): one index lookup, cheap enough for every node
    /// to poll so that an upload on any node is in force on all of them.
    /// </summary>
    public int LatestRuleSetVersion(string tenant) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT coalesce(max(version), 0) FROM rule_sets WHERE tenant = @tenant", ("tenant", tenant));
        return (int)command.ExecuteScalar()!;
    });

    public AuditEntry AppendAudit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return store.Write(scope =>
        {
            using var command = scope.Command(
                """
                INSERT INTO audit (tenant, at_ticks, actor, action, correlation_id, succeeded, detail)
                VALUES (@tenant, @at, @actor, @action, @correlation, @succeeded, @detail)
                RETURNING sequence
                """,
                ("tenant", entry.Tenant), ("at", entry.At.UtcTicks), ("actor", entry.Actor), ("action", entry.Action),
                ("correlation", entry.CorrelationId), ("succeeded", entry.Succeeded), ("detail", entry.Detail));
            return entry with { Sequence = (long)command.ExecuteScalar()! };
        });
    }

    public IReadOnlyList<AuditEntry> ReadAudit(string tenant) => store.Read(scope =>
    {
        using var command = scope.Command(
            "SELECT tenant, sequence, at_ticks, actor, action, correlation_id, succeeded, detail FROM audit WHERE tenant = @tenant ORDER BY sequence",
            ("tenant", tenant));
        return PostgresBillingStore.ReadAll(command, r => new AuditEntry(
            r.GetString(0), r.GetInt64(1), PostgresBillingStore.Instant(r.GetInt64(2)), r.GetString(3), r.GetString(4),
            PostgresBillingStore.NullableText(r, 5), r.GetBoolean(6), PostgresBillingStore.NullableText(r, 7)));
    });

    private static readonly JsonSerializerOptions FileJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record FileDocument(string Path, string Text);

    private List<CustomerRecord> Customers(string where, params (string Name, object? Value)[] parameters) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT tenant, id, name, created_at_ticks FROM customers WHERE " + where, parameters);
        return PostgresBillingStore.ReadAll(command, r => new CustomerRecord(
            r.GetString(0), r.GetString(1), PostgresBillingStore.NullableText(r, 2), PostgresBillingStore.Instant(r.GetInt64(3))));
    });

    private List<StoredRuleSet> RuleSets(string where, params (string Name, object? Value)[] parameters) => store.Read(scope =>
    {
        using var command = scope.Command("SELECT tenant, version, hash, files, uploaded_at_ticks, comment FROM rule_sets WHERE " + where, parameters);
        return PostgresBillingStore.ReadAll(command, r => new StoredRuleSet(
            r.GetString(0), r.GetInt32(1), r.GetString(2),
            (JsonSerializer.Deserialize<List<FileDocument>>(r.GetString(3), FileJson) ?? []).Select(f => new StoredRuleFile(f.Path, f.Text)).ToList(),
            PostgresBillingStore.Instant(r.GetInt64(4)), PostgresBillingStore.NullableText(r, 5)));
    });
}
