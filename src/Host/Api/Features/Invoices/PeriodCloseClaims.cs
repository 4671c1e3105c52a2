using System.Globalization;
using RulesBilling.Engine.Claims;
using RulesBilling.Host.Api.Infrastructure;
using RulesBilling.Host.Api.Storage;

namespace RulesBilling.Host.Api.Features.Invoices;

/// <summary>
/// Closes a customer's period under a claim ("finalize", tenant/customer/period start), so that when several nodes
/// are asked to close the same period at once one of them rates it and the others wait for it, then return the
/// invoice it finalized. The claim is an economy (nobody rates the period twice), not the safety: the finalizing
/// transaction itself locks the period and re-checks it (see IPeriodCloseLock), so a claim that lapsed while its
/// holder was slow cannot produce a second invoice or number. A node that dies stops renewing; its claim lapses
/// after <see cref="Lease"/> and a waiting node takes over.
/// </summary>
internal sealed class PeriodCloseClaims(IWorkClaims claims, NodeIdentity node)
{
    public const string Kind = "finalize";

    /// <summary>Far beyond rating one customer-period; also how long a dead node can hold a period up.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>How long a request waits for another node's claim: past a whole lease, so a dead node's claim is outwaited.</summary>
    private static readonly TimeSpan MaxWait = Lease + TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static string Key(string tenant, string customer, DateTimeOffset periodFrom) =>
        string.Join('/', Uri.EscapeDataString(tenant), Uri.EscapeDataString(customer),
            periodFrom.UtcTicks.ToString(CultureInfo.InvariantCulture));

    public async ValueTask<T> RunAsync<T>(string tenant, string customer, DateTimeOffset periodFrom, Func<T> close, CancellationToken cancellation)
    {
        var key = Key(tenant, customer, periodFrom);
        // One owner per request, not per node: two requests on the same node must take turns as well.
        var owner = node.Id + "/" + Guid.NewGuid().ToString("N");
        var waited = TimeSpan.Zero;
        while (!claims.TryClaim(Kind, key, owner, Lease))
        {
            if (waited >= MaxWait)
            {
                throw ApiProblemException.Conflict("Another node is closing this period and has not finished; retry shortly.");
            }
            await Task.Delay(Poll, cancellation);
            waited += Poll;
        }
        try
        {
            return close();
        }
        finally
        {
            claims.Release(Kind, key, owner);
        }
    }
}
