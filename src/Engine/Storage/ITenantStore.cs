using RulesBilling.Engine.Billing;

namespace RulesBilling.Engine.Storage;

/// <summary>
/// What a multi-tenant host keeps besides billing data: tenants, hashed API keys, registered customers and
/// their contract assignments, uploaded rule-set versions and the audit trail. Every read is scoped to one tenant except the key lookup,
/// which is how a caller's tenant is found. Writes are durable before the method returns.
/// </summary>
public interface ITenantStore
{
    /// <summary>Adds a tenant; false (and nothing written) when the id is taken.</summary>
    bool AddTenant(TenantRecord tenant);
    TenantRecord? FindTenant(string id);

    void AddApiKey(ApiKeyRecord key);
    ApiKeyRecord? FindApiKey(string keyHash);

    /// <summary>Adds a customer; false (and nothing written) when the tenant already has that id.</summary>
    bool AddCustomer(CustomerRecord customer);
    void UpdateCustomer(CustomerRecord customer);
    CustomerRecord? FindCustomer(string tenant, string id);
    /// <summary>The tenant's customers ordered by id (ordinal).</summary>
    IReadOnlyList<CustomerRecord> ListCustomers(string tenant);

    /// <summary>Stores a contract assignment of a customer, replacing the one with the same effective date.</summary>
    void SetContractAssignment(string tenant, ContractAssignment assignment);
    /// <summary>The customer's contract assignments ordered by effective date.</summary>
    IReadOnlyList<ContractAssignment> ListContractAssignments(string tenant, string customer);

    /// <summary>Stores the next version of the tenant's rule set (numbered after the highest so far) and returns it.</summary>
    StoredRuleSet AddRuleSet(string tenant, string hash, IReadOnlyList<StoredRuleFile> files, DateTimeOffset uploadedAt, string? comment);
    /// <summary>The tenant's rule-set versions, oldest first.</summary>
    IReadOnlyList<StoredRuleSet> ListRuleSets(string tenant);
    StoredRuleSet? FindRuleSet(string tenant, int version);

    /// <summary>Appends an audit entry; the store assigns <see cref="AuditEntry.Sequence"/>.</summary>
    AuditEntry AppendAudit(AuditEntry entry);
    /// <summary>The tenant's audit trail, oldest first.</summary>
    IReadOnlyList<AuditEntry> ReadAudit(string tenant);
}
