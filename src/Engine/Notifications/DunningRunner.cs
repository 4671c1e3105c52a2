using System.Globalization;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Payments;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Raises the reminders of <see cref="DunningSchedule"/> for the invoices whose push is done and whose payment state
/// is neither paid nor voided, as of the injected clock. Each reminder's notification id is derived from the invoice
/// and the reminder's place in the schedule, so a pass repeated (by a restart, or on every node) raises it once; a
/// pass that comes late raises only the latest reminder due, not a burst of the ones it missed.
/// </summary>
public sealed class DunningRunner(IInvoiceStore billing, IPaymentStore payments, INotificationPublisher publisher, TimeProvider time, DunningSchedule schedule)
{
    /// <summary>Returns the reminders due as of now (already raised ones included: the publisher stores each once).</summary>
    public IReadOnlyList<Notification> RunOnce()
    {
        var now = time.GetUtcNow();
        var raised = new List<Notification>();
        foreach (var push in payments.ListSync().Where(r => r is { Action: SyncAction.Push, Status: SyncStatus.Done }))
        {
            if (!publisher.HasSubscribers(push.Tenant)) continue;
            if (payments.FindPaymentState(push.Tenant, push.InvoiceId) is not { State: PaymentState.Sent or PaymentState.PaymentFailed } state) continue;
            if (billing.FindInvoice(push.Tenant, push.InvoiceId) is not { Kind: not InvoiceKind.CreditNote, Status: InvoiceStatus.Finalized } invoice) continue;

            var due = push.CreatedAt.AddDays(schedule.DaysUntilDue);
            if (Latest(due, schedule.OverdueDays, now) is var (step, at, next) && step >= 0)
            {
                raised.Add(Raise(invoice, state, NotificationTypes.InvoiceOverdue, [invoice.Id, "overdue", Step(step)], w =>
                {
                    w.WriteString("dueAt", UtcTimestamp.Format(due));
                    w.WriteNumber("daysOverdue", (int)Math.Floor((now - due).TotalDays));
                    Reminder(w, step, at, next, schedule.OverdueDays.Count);
                }));
            }
            if (state.State == PaymentState.PaymentFailed && Latest(state.UpdatedAt, schedule.RetryDays, now) is var (retry, retryAt, retryNext) && retry >= 0)
            {
                // One series per failed attempt: a new failure (a new provider event) starts the reminders again.
                raised.Add(Raise(invoice, state, NotificationTypes.InvoicePaymentFailed, [invoice.Id, "retry", state.LastEventId ?? "", Step(retry)], w =>
                {
                    w.WriteString("failedAt", UtcTimestamp.Format(state.UpdatedAt));
                    Reminder(w, retry, retryAt, retryNext, schedule.RetryDays.Count);
                }));
            }
        }
        return raised;
    }

    /// <summary>The latest step of <paramref name="days"/> after <paramref name="from"/> that is due at <paramref name="now"/> (-1: none yet).</summary>
    private static (int Step, DateTimeOffset At, DateTimeOffset? Next) Latest(DateTimeOffset from, IReadOnlyList<int> days, DateTimeOffset now)
    {
        var step = -1;
        for (var i = 0; i < days.Count && from.AddDays(days[i]) <= now; i++) step = i;
        return step < 0 ? (-1, default, null) : (step, from.AddDays(days[step]), step + 1 < days.Count ? from.AddDays(days[step + 1]) : null);
    }

    private Notification Raise(Invoice invoice, InvoicePaymentState state, string type, string[] idParts, Action<System.Text.Json.Utf8JsonWriter> write)
    {
        var notification = new Notification(invoice.Tenant, NotificationData.Id(invoice.Tenant, [type, .. idParts]), type, invoice.Customer, time.GetUtcNow(),
            NotificationData.Object(w =>
            {
                NotificationData.WriteInvoice(w, invoice);
                w.WriteString("provider", state.Provider.ToString().ToLowerInvariant());
                w.WriteString("providerInvoiceId", state.ProviderInvoiceId);
                write(w);
            }));
        publisher.Publish(notification);
        return notification;
    }

    private static void Reminder(System.Text.Json.Utf8JsonWriter w, int step, DateTimeOffset at, DateTimeOffset? next, int count)
    {
        w.WriteNumber("reminder", step + 1);
        w.WriteNumber("reminders", count);
        w.WriteString("scheduledAt", UtcTimestamp.Format(at));
        if (next is { } n) w.WriteString("nextReminderAt", UtcTimestamp.Format(n));
        else w.WriteNull("nextReminderAt");
    }

    private static string Step(int step) => step.ToString(CultureInfo.InvariantCulture);
}
