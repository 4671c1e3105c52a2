using System.Net;
using Stripe;

namespace RulesBilling.Engine.Payments;

/// <summary>
/// Sorts a failure into retry (network, timeout, 409, 429, 5xx, Stripe lock_timeout, Razorpay server/gateway errors)
/// or stop for a human (400, 401, 403, idempotency_error, any other client error).
/// </summary>
public static class FailureClassifier
{
    public static FailureKind? Classify(Exception exception, CancellationToken cancellation) => exception switch
    {
        PaymentException p => p.Kind,
        StripeException s when s.StripeError?.Code == "idempotency_error" || s.StripeError?.Type == "idempotency_error" => FailureKind.Permanent,
        StripeException s when s.StripeError?.Code == "lock_timeout" => FailureKind.Transient,
        StripeException s => ByStatus(s.HttpStatusCode),
        RazorpayException r => r.Status is { } status ? ByStatus(status) : FailureKind.Transient,
        HttpRequestException => FailureKind.Transient,
        OperationCanceledException when !cancellation.IsCancellationRequested => FailureKind.Transient,
        TimeoutException => FailureKind.Transient,
        _ => null,
    };

    /// <summary>
    /// Stripe.net reports a network failure with status 0, and a success status with an unreadable body (a
    /// connection cut mid-answer) is as ambiguous as a dropped connection.
    /// </summary>
    private static FailureKind ByStatus(HttpStatusCode status) => (int)status switch
    {
        0 or (>= 200 and < 300) or 409 or 429 or >= 500 => FailureKind.Transient,
        _ => FailureKind.Permanent,
    };

    /// <summary>A one-line description with no credentials (provider errors never echo the key).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        StripeException s => $"Stripe {(int)s.HttpStatusCode} {s.StripeError?.Type ?? "error"}{(s.StripeError?.Code is { } c ? "/" + c : "")}: {s.Message}",
        RazorpayException r => r.Message,
        PaymentException p => p.Message,
        OperationCanceledException => "the request timed out",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
