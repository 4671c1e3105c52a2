using RulesBilling.Engine.Storage;
using System.Net;
using RulesBilling.Engine.Notifications;
using RulesBilling.Engine.Tests.Ingestion;

namespace RulesBilling.Engine.Tests.Notifications;

/// <summary>Webhook URLs may not reach private, loopback, link-local or metadata addresses unless allowed, at subscription and at every connection.</summary>
public sealed class WebhookEndpointGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00:ec2::254", "unique local")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("2002:7f00:1::1", "loopback")]
    public void Internal_addresses_are_refused_with_the_reason(string address, string reason) =>
        Assert.Contains(reason, WebhookAddressPolicy.Refusal(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:1.1.1.1")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(WebhookAddressPolicy.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]:9000/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task Subscribing_an_internal_url_is_refused_unless_private_webhooks_are_allowed(string url)
    {
        var refusal = await new WebhookEndpointGuard(allowPrivate: false).CheckAsync(new Uri(url), CancellationToken.None);
        Assert.NotNull(refusal);
        Assert.Contains("--allow-private-webhooks", refusal, StringComparison.Ordinal);
        Assert.Null(await new WebhookEndpointGuard(allowPrivate: true).CheckAsync(new Uri(url), CancellationToken.None));
    }

    /// <summary>
    /// The check is repeated when connecting: a subscription whose name resolves to loopback by delivery time (here
    /// stored without the subscription check, as after DNS rebinding) is never connected to; allowed, it is delivered.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_connection_is_checked_after_resolving_the_host(bool allowPrivate)
    {
        using var receiver = new LoopbackReceiver(_ => (200, TimeSpan.Zero));
        var folder = Directory.CreateTempSubdirectory("rb-guard-").FullName;
        using var billing = new LiteDbBillingStore(Path.Combine(folder, "billing.db"));
        using var outbox = new LiteDbNotificationStore(billing);
        var clock = new TestClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        outbox.SaveSubscription(new WebhookSubscription("t1", "sub-1", $"http://localhost:{receiver.Port}/hook/", [NotificationTypes.InvoiceFinalized], "whsec_x", [], clock.Now));
        new NotificationOutbox(outbox, clock).Publish(new Notification("t1", "ntf-1", NotificationTypes.InvoiceFinalized, "acme", clock.Now, "{}"));
        var guard = new WebhookEndpointGuard(allowPrivate);
        using var http = new HttpClient(guard.CreateHandler());

        await new WebhookDispatcher(outbox, http, clock, WebhookRetryPolicy.Default).DeliverDueAsync(10, CancellationToken.None);

        var attempt = Assert.Single(Assert.Single(outbox.ListDeliveries("t1")).Attempts);
        if (allowPrivate)
        {
            Assert.Equal(200, attempt.StatusCode);
            Assert.Single(receiver.Requests);
        }
        else
        {
            Assert.Null(attempt.StatusCode);
            Assert.Contains("loopback", attempt.Error, StringComparison.Ordinal);
            Assert.Empty(receiver.Requests);
        }
    }
}
