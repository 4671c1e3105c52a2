using System.Net;
using System.Net.Sockets;

namespace RulesBilling.Benchmarks.Http;

/// <summary>A webhook endpoint on 127.0.0.1 that answers every delivery 204 and counts them.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private long _received;

    public WebhookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hooks");
        }
        _listener.Prefixes.Add($"http://127.0.0.1:{Address.Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public Uri Address { get; }

    public long Received => Interlocked.Read(ref _received);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _received);
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
