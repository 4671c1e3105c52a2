namespace RulesBilling.Engine.Notifications;

/// <summary>The event types a webhook can subscribe to (docs/webhooks.md).</summary>
public static class NotificationTypes
{
    public const string InvoiceFinalized = "invoice.finalized";
    public const string InvoiceVoided = "invoice.voided";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    /// <summary>An invoice sent to a provider is past its due date and unpaid (the dunning schedule, Payments/Dunning.cs).</summary>
    public const string InvoiceOverdue = "invoice.overdue";
    public const string CreditNoteCreated = "credit_note.created";
    public const string CreditNoteVoided = "credit_note.voided";
    public const string OutcomeBilled = "outcome.billed";
    public const string OutcomeReversed = "outcome.reversed";
    public const string GuardTriggered = "guard.triggered";
    public const string EntitlementThreshold = "entitlement.threshold";
    public const string CreditsLow = "credits.low";
    public const string CreditsExhausted = "credits.exhausted";

    public static IReadOnlyList<string> All { get; } =
    [
        CreditNoteCreated, CreditNoteVoided, CreditsExhausted, CreditsLow, EntitlementThreshold, GuardTriggered, InvoiceFinalized, InvoiceOverdue, InvoicePaid, InvoicePaymentFailed, InvoiceVoided,
        OutcomeBilled, OutcomeReversed,
    ];
}
