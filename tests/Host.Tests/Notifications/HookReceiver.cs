using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RulesBilling.Host.Tests.Notifications;

/// <summary>A webhook endpoint on 127.0.0.1 that answers 200 and records every request (path, headers, raw body).</summary>
internal sealed class HookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public HookReceiver()
    {
        using (var socket = new TcpListener(IPAddress.Loopback, 0))
        {
            socket.Start();
            Port = ((IPEndPoint)socket.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public ConcurrentQueue<Request> Requests { get; } = new();

    public sealed record Request(string Path, string DeliveryId, string Type, string Signature, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;

        /// <summary>Recomputed from docs/webhooks.md: HMAC-SHA256(secret, "{t}.{body}") as lowercase hex.</summary>
        public bool SignedWith(string secret)
        {
            var parts = Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + Body)));
            return mac == parts["v1"];
        }
    }

    /// <summary>Waits (bounded) until <paramref name="done"/> holds for the requests received.</summary>
    public async Task<List<Request>> WaitForAsync(Func<List<Request>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var requests = Requests.ToList();
            if (done(requests)) return requests;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the receiver got {requests.Count} request(s): {string.Join(" | ", requests.Select(r => r.Body))}");
            await Task.Delay(100);
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var context = await _listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers;
                Requests.Enqueue(new Request(context.Request.Url!.AbsolutePath, headers["RulesBilling-Delivery-Id"] ?? "", headers["RulesBilling-Event-Type"] ?? "",
                    headers["RulesBilling-Signature"] ?? "", body));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
