namespace RulesBilling.Engine.Payments;

/// <summary>
/// What Razorpay needs of a customer, checked before any call (the sync) and when the customer is pointed at
/// Razorpay (the API), so a refusal is a clear message here rather than a provider 400 half-way through a push.
/// </summary>
public static class RazorpayCustomerRules
{
    /// <summary>Razorpay's rule for customer names: 3–50 letters, digits, spaces and <c>. ' ’ / @ ( )</c>.</summary>
    private const int MinName = 3, MaxName = 50;

    /// <summary>
    /// Refuses, before any call, a customer Razorpay would refuse or could not find again: a name outside its
    /// character rule, or no email and no contact (<c>fail_existing=0</c> matches on exactly those, so without them a
    /// retried create or a lost local mapping makes a second customer).
    /// </summary>
    public static void Require(CustomerPaymentSettings settings)
    {
        if (NameProblem(settings.DisplayName) is { } problem)
        {
            throw new PaymentException(
                $"Razorpay customer name '{settings.DisplayName}' {problem}; set the customer's name with PUT /v1/customers/{settings.Customer}/payment-provider",
                FailureKind.Permanent);
        }
        if (settings.Email is null && settings.Contact is null)
        {
            throw new PaymentException(
                $"Razorpay customer '{settings.Customer}' has no email and no contact: Razorpay finds an existing customer only by those; set them with PUT /v1/customers/{settings.Customer}/payment-provider",
                FailureKind.Permanent);
        }
    }

    /// <summary>Why Razorpay would refuse the name, or null.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length is < MinName or > MaxName) return $"must be {MinName} to {MaxName} characters long (it has {name.Length})";
        var refused = name.Where(c => !(char.IsLetterOrDigit(c) || c is ' ' or '.' or '\'' or '’' or '/' or '@' or '(' or ')')).Distinct().ToList();
        return refused.Count == 0 ? null
            : $"has characters Razorpay refuses ({string.Join(", ", refused.Select(c => $"'{c}'"))}); it allows letters, digits, spaces and . ' / @ ( )";
    }
}
