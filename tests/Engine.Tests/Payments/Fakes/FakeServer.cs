using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RulesBilling.Engine.Tests.Payments.Fakes;

/// <summary>
/// An HTTP server on 127.0.0.1 (a free port) that serves a provider's API from in-memory state, one request at a
/// time, and applies the next queued <see cref="Fault"/> to requests that pass <see cref="FaultFilter"/>.
/// </summary>
public abstract class FakeServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _state = new();

    protected FakeServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<Fault> Faults { get; } = new();

    /// <summary>Which requests consume a queued fault (default: all).</summary>
    public Func<FakeRequest, bool> FaultFilter { get; set; } = _ => true;

    /// <summary>How long a <see cref="Fault.TimeoutAfterCommit"/> answer is held back; longer than the client's timeout.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(1.5);

    public ConcurrentQueue<FakeRequest> Log { get; } = new();

    /// <summary>
    /// Called after a request changed state and before its answer; returning true drops the connection (with a
    /// cancelled worker this is a process crash between the provider call and our checkpoint).
    /// </summary>
    public Func<FakeRequest, bool>? AfterCommit { get; set; }

    /// <summary>Serves the request, changing state; <paramref name="failAfterCommit"/> asks for a 500 after the change.</summary>
    protected abstract FakeResponse Handle(FakeRequest request, bool failAfterCommit);

    protected abstract FakeResponse Error(int status, string code, string message);

    protected T Locked<T>(Func<T> read)
    {
        lock (_state) return read();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        try
        {
            var request = await ReadAsync(context.Request);
            Log.Enqueue(request);
            var fault = FaultFilter(request) && Faults.TryDequeue(out var f) ? f : Fault.None;
            switch (fault)
            {
                case Fault.RateLimited:
                    await WriteAsync(context, Error(429, "rate_limit", "Too many requests"));
                    return;
                case Fault.Conflict:
                    await WriteAsync(context, Error(409, "lock_timeout", "Conflicting concurrent request"));
                    return;
                case Fault.ServerErrorBefore:
                    await WriteAsync(context, Error(500, "server_error", "Internal error"));
                    return;
                case Fault.DropBefore:
                    await DropAsync(context);
                    return;
            }

            FakeResponse response;
            lock (_state) response = Handle(request, fault == Fault.ServerErrorAfterCommit);
            if (AfterCommit?.Invoke(request) == true)
            {
                await DropAsync(context);
                return;
            }
            switch (fault)
            {
                case Fault.DropAfterCommit:
                    await DropAsync(context);
                    return;
                case Fault.TimeoutAfterCommit:
                    await Task.Delay(TimeoutDelay);
                    break;
            }
            await WriteAsync(context, response);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away (timeout) or the server is stopping.
        }
    }

    private static async Task<FakeRequest> ReadAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = request.Headers.AllKeys.Where(k => k is not null)
            .ToDictionary(k => k!.ToLowerInvariant(), k => request.Headers[k]!, StringComparer.Ordinal);
        return new FakeRequest(request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query.TrimStart('?'), headers, body);
    }

    /// <summary>
    /// Cuts the connection mid-answer: a promised body that never fully arrives (HttpListener cannot reset a
    /// connection before the status line, so the client sees the response end prematurely).
    /// </summary>
    private static async Task DropAsync(HttpListenerContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentLength64 = 1024;
        await context.Response.OutputStream.WriteAsync("{\"id\""u8.ToArray());
        await context.Response.OutputStream.FlushAsync();
        context.Response.Abort();
    }

    private static async Task WriteAsync(HttpListenerContext context, FakeResponse response)
    {
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        var bytes = Encoding.UTF8.GetBytes(response.Body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; nothing to report.
        }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
