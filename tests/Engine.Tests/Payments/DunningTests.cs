using System.Text.Json;
using RulesBilling.Engine.Invoicing;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Payments;
using RulesBilling.Engine.Storage;

namespace RulesBilling.Engine.Tests.Payments;

/// <summary>
/// The dunning schedule on a fake clock: invoice.overdue after the due date at each reminder day, retry reminders
/// after a failed payment, nothing once paid; every reminder delivered once through the webhook outbox.
/// </summary>
public sealed class DunningTests : IDisposable
{
    private readonly PaymentHarness _harness = new(liteDb: true);
    private readonly LiteDbNotificationStore _notifications;

    public DunningTests()
    {
        _notifications = new LiteDbNotificationStore((LiteDbBillingStore)_harness.Billing);
        _notifications.SaveSubscription(new WebhookSubscription(PaymentHarness.Tenant, "sub-1", "https://example.com/hook", [.. NotificationTypes.All], "whsec_x", [],
            _harness.Time.GetUtcNow()));
        _harness.UseProvider("acme", PaymentProvider.Stripe);
    }

    public void Dispose()
    {
        _notifications.Dispose();
        _harness.Dispose();
    }

    private DunningRunner Runner(DunningSchedule? schedule = null) =>
        new(_harness.Billing, _harness.Payments, new NotificationOutbox(_notifications, _harness.Time), _harness.Time, schedule ?? DunningSchedule.Default);

    private List<(string Type, JsonElement Data)> Delivered(string type) => _notifications.ListDeliveries(PaymentHarness.Tenant)
        .Where(d => d.Type == type)
        .Select(d => (d.Type, JsonDocument.Parse(d.Body).RootElement.GetProperty("data").Clone()))
        .OrderBy(d => d.Item2.GetProperty("reminder").GetInt32())
        .ToList();

    private async Task<Invoice> PushedAsync()
    {
        var invoice = _harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));
        Assert.Equal(SyncStatus.Done, Assert.Single((await _harness.Worker().RunOnceAsync()).Processed).Status);
        return invoice;
    }

    [Fact]
    public async Task An_unpaid_invoice_is_reminded_at_each_step_after_its_due_date_once_and_not_after_it_is_paid()
    {
        var invoice = await PushedAsync();
        var runner = Runner();

        _harness.Time.Advance(TimeSpan.FromDays(29));
        runner.RunOnce();
        Assert.Empty(Delivered(NotificationTypes.InvoiceOverdue));

        _harness.Time.Advance(TimeSpan.FromDays(1));
        runner.RunOnce();
        runner.RunOnce();
        _harness.Time.Advance(TimeSpan.FromDays(3.5));
        runner.RunOnce();

        var overdue = Delivered(NotificationTypes.InvoiceOverdue);
        Assert.Equal([1, 2], overdue.Select(d => d.Data.GetProperty("reminder").GetInt32()));
        Assert.Equal(invoice.Id, overdue[0].Data.GetProperty("invoiceId").GetString());
        Assert.Equal("2026-05-02T00:00:00Z", overdue[0].Data.GetProperty("dueAt").GetString());
        Assert.Equal(0, overdue[0].Data.GetProperty("daysOverdue").GetInt32());
        Assert.Equal("2026-05-05T00:00:00Z", overdue[0].Data.GetProperty("nextReminderAt").GetString());
        Assert.Equal(3, overdue[1].Data.GetProperty("daysOverdue").GetInt32());

        var state = _harness.Payments.FindPaymentState(PaymentHarness.Tenant, invoice.Id)!;
        _harness.Payments.SavePaymentState(state with { State = PaymentState.Paid, UpdatedAt = _harness.Time.GetUtcNow() });
        _harness.Time.Advance(TimeSpan.FromDays(30));
        runner.RunOnce();
        Assert.Equal(2, Delivered(NotificationTypes.InvoiceOverdue).Count);
    }

    [Fact]
    public async Task A_late_pass_raises_only_the_latest_reminder_due()
    {
        await PushedAsync();

        _harness.Time.Advance(TimeSpan.FromDays(30 + 8));
        Runner().RunOnce();

        var overdue = Assert.Single(Delivered(NotificationTypes.InvoiceOverdue));
        Assert.Equal((3, 8), (overdue.Data.GetProperty("reminder").GetInt32(), overdue.Data.GetProperty("daysOverdue").GetInt32()));
    }

    [Fact]
    public async Task A_failed_payment_is_followed_by_retry_reminders_until_a_new_attempt()
    {
        var invoice = await PushedAsync();
        var state = _harness.Payments.FindPaymentState(PaymentHarness.Tenant, invoice.Id)!;
        _harness.Payments.SavePaymentState(state with { State = PaymentState.PaymentFailed, UpdatedAt = _harness.Time.GetUtcNow(), LastEventId = "evt_1" });
        var runner = Runner(DunningSchedule.Parse("retry=1,3"));

        runner.RunOnce();
        Assert.Empty(Delivered(NotificationTypes.InvoicePaymentFailed));
        _harness.Time.Advance(TimeSpan.FromDays(1));
        runner.RunOnce();
        _harness.Time.Advance(TimeSpan.FromDays(2));
        runner.RunOnce();
        runner.RunOnce();

        var retries = Delivered(NotificationTypes.InvoicePaymentFailed);
        Assert.Equal([1, 2], retries.Select(d => d.Data.GetProperty("reminder").GetInt32()));
        Assert.Equal(JsonValueKind.Null, retries[1].Data.GetProperty("nextReminderAt").ValueKind);
        Assert.Equal("2026-04-02T00:00:00Z", retries[0].Data.GetProperty("failedAt").GetString());
    }

    [Fact]
    public async Task The_payment_term_of_the_schedule_is_the_Stripe_invoices_days_until_due()
    {
        _harness.Finalize(PaymentHarness.Sample("acme", "USD", 1, [100m]));

        await _harness.Worker(dunning: DunningSchedule.Parse("due=14")).RunOnceAsync();

        Assert.Contains("days_until_due=14", Assert.Single(_harness.Stripe.Log, r => r is { Method: "POST", Path: "/v1/invoices" }).Body);
    }

    [Theory]
    [InlineData("due=0", "due: '0'")]
    [InlineData("overdue=3,1", "must increase")]
    [InlineData("late=1", "unknown dunning setting 'late'")]
    [InlineData("due", "not name=value")]
    public void A_bad_schedule_is_refused_with_the_reason(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DunningSchedule.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_keeps_the_defaults_it_does_not_name()
    {
        var schedule = DunningSchedule.Parse("overdue=1,2; retry=");

        Assert.Equal(30, schedule.DaysUntilDue);
        Assert.Equal([1, 2], schedule.OverdueDays);
        Assert.Empty(schedule.RetryDays);
    }
}
