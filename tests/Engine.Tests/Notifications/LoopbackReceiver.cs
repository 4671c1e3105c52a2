using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RulesBilling.Engine.Tests.Notifications;

/// <summary>
/// A webhook receiver on 127.0.0.1 that records every request it reads and answers each one as told by
/// <see cref="Behave"/> (by the request's position): a status code, optionally after a delay.
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;

    public LoopbackReceiver(Func<int, (int Status, TimeSpan Delay)> behave)
    {
        Behave = behave;
        Port = FreePort();
        Url = $"http://127.0.0.1:{Port}/hook/";
        _listener.Prefixes.Add(Url);
        // The same endpoint by name, for requests that resolve "localhost" themselves.
        _listener.Prefixes.Add($"http://localhost:{Port}/hook/");
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }
    public string Url { get; }
    public Func<int, (int Status, TimeSpan Delay)> Behave { get; }
    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(int Number, string? DeliveryId, string? Signature, string? Type, string Body);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var number = Interlocked.Increment(ref _count);
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new Received(number, context.Request.Headers["RulesBilling-Delivery-Id"], context.Request.Headers["RulesBilling-Signature"],
            context.Request.Headers["RulesBilling-Event-Type"], body));
        var (status, delay) = Behave(number);
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _stop.Token);
            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up or the test ended; nothing to answer.
        }
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
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
            // The loop ends by cancellation.
        }
        _stop.Dispose();
    }
}
