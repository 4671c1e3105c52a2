using System.Net;

namespace RulesBilling.Engine.Payments;

/// <summary>A Razorpay error response (<c>{"error":{"code","description"}}</c>), or no response at all (null status).</summary>
public sealed class RazorpayException(HttpStatusCode? status, string? code, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
    public string? Code { get; } = code;
}
