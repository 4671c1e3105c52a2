using System.Globalization;
using System.Text;

namespace RulesBilling.Engine.Notifications;

/// <summary>
/// Sends due outbox deliveries: one signed POST per delivery, a 2xx answer marks it delivered, anything else
/// (status, timeout, refused connection) is recorded as an attempt and retried with backoff. Delivery is at least
/// once: a receiver that answered too slowly may get the same delivery id again.
/// </summary>
public sealed class WebhookDispatcher(INotificationStore store, HttpClient http, TimeProvider time, WebhookRetryPolicy policy)
{
    /// <summary>Makes one attempt at each due delivery (at most <paramref name="limit"/>); returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(int limit, CancellationToken cancellationToken)
    {
        var due = store.DueDeliveries(time.GetUtcNow(), limit);
        foreach (var delivery in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await AttemptAsync(delivery, cancellationToken);
        }
        return due.Count;
    }

    private async Task AttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var number = delivery.Attempts.Count + 1;
        var subscription = store.ListSubscriptions(delivery.Tenant).FirstOrDefault(s => s.Id == delivery.SubscriptionId);
        if (subscription is null)
        {
            store.UpdateDelivery(Record(delivery, number, null, "the subscription was deleted", giveUp: true));
            return;
        }

        var startedAt = time.GetUtcNow();
        int? status = null;
        string? error = null;
        using (var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url))
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var timestamp = startedAt.ToUnixTimeSeconds();
            request.Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Header(subscription.Secret, timestamp, delivery.Body));
            request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryIdHeader, delivery.Id);
            request.Headers.TryAddWithoutValidation(WebhookSignature.EventTypeHeader, delivery.Type);
            request.Headers.TryAddWithoutValidation(WebhookSignature.AttemptHeader, number.ToString(CultureInfo.InvariantCulture));
            timeout.CancelAfter(policy.Timeout);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode) error = $"HTTP {status}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"no answer within {policy.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
        }

        store.UpdateDelivery(Record(delivery, number, status, error, giveUp: false));
    }

    private WebhookDelivery Record(WebhookDelivery delivery, int number, int? status, string? error, bool giveUp)
    {
        var now = time.GetUtcNow();
        var attempts = delivery.Attempts.Append(new DeliveryAttempt(number, now, status, error)).ToList();
        if (error is null) return delivery with { Status = DeliveryStatus.Delivered, Attempts = attempts };
        var failed = giveUp || number >= policy.MaxAttempts;
        return delivery with
        {
            Status = failed ? DeliveryStatus.Failed : DeliveryStatus.Pending,
            NextAttemptAt = failed ? delivery.NextAttemptAt : now + policy.DelayAfter(number),
            Attempts = attempts,
        };
    }
}
