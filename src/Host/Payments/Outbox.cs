using Mediator;
using RulesBilling.Engine.Payments;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Infrastructure;

namespace RulesBilling.Host.Payments;

/// <summary>
/// The tenant's outbox records that stopped and wait for a person: dead letters (transient failures that outlasted
/// the retries), refusals (needsHuman) and total mismatches, oldest first.
/// </summary>
internal sealed record ListDeadLetters(Caller Caller) : IQuery<IReadOnlyList<OutboxRecordView>>, IApiMessage;

/// <summary>Puts a stopped record back in the queue; it resumes from its last checkpoint under its stored idempotency keys.</summary>
internal sealed record RequeueOutboxRecord(Caller Caller, string RecordId) : ICommand<OutboxRecordView>, IAudited
{
    public string AuditAction => $"payments.requeue {RecordId}";
}

internal sealed class OutboxHandlers(IPaymentStore payments, SyncWorker worker) :
    IQueryHandler<ListDeadLetters, IReadOnlyList<OutboxRecordView>>,
    ICommandHandler<RequeueOutboxRecord, OutboxRecordView>
{
    public static bool IsStopped(SyncStatus status) => status is SyncStatus.DeadLetter or SyncStatus.NeedsHuman or SyncStatus.Mismatch;

    public ValueTask<IReadOnlyList<OutboxRecordView>> Handle(ListDeadLetters query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<OutboxRecordView>>(
            payments.ListSync(query.Caller.Tenant).Where(r => IsStopped(r.Status)).Select(OutboxRecordView.From).ToList());

    public ValueTask<OutboxRecordView> Handle(RequeueOutboxRecord command, CancellationToken cancellationToken)
    {
        // Another tenant's record gets the same 404 as a missing one.
        var record = payments.FindSync(command.RecordId) is { } found && found.Tenant == command.Caller.Tenant
            ? found
            : throw ApiProblemException.NotFound($"Outbox record '{command.RecordId}' does not exist.");
        if (record.Status is SyncStatus.Done or SyncStatus.Cancelled)
        {
            throw ApiProblemException.Conflict($"Outbox record '{record.Id}' is {ProviderStatus(record.Status)}; there is nothing to requeue.");
        }
        return ValueTask.FromResult(OutboxRecordView.From(worker.Requeue(record.Id)));
    }

    private static string ProviderStatus(SyncStatus status) => status == SyncStatus.Done ? "done" : "cancelled";
}
