using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using RulesBilling.Host.Cli;

namespace RulesBilling.Host.Tests.Api;

/// <summary>Starts the built <c>rulesbilling serve</c> as its own process and talks to it over HTTP.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task The_serve_verb_answers_over_http_keeps_data_in_its_database_file_and_applies_its_rate_limit()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-host-process", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var database = Path.Combine(folder, "data", "billing.db");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"), "serve", "--db", database,
                "--urls", $"http://127.0.0.1:{port}", "--json-logs", "--rate-limit", "4" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["RULESBILLING_ADMIN_KEY"] = "process-admin";
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForHealthAsync(client, process, output);

            client.DefaultRequestHeaders.Add("X-Api-Key", "process-admin");
            var tenant = await ApiServer.ReadJsonAsync(await client.PostAsJsonAsync("/v1/tenants", new { id = "acme" }));
            client.DefaultRequestHeaders.Remove("X-Api-Key");
            client.DefaultRequestHeaders.Add("X-Api-Key", tenant["apiKey"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/customers", new { id = "cust-1" })).StatusCode);
            var customers = await ApiServer.ReadJsonAsync(await client.GetAsync("/v1/customers"));
            Assert.Equal("cust-1", customers[0]!["id"]!.GetValue<string>());
            await ApiServer.AssertProblemAsync(await client.GetAsync("/v1/customers/nobody"), 404);

            // --rate-limit 4: the tenant key's fourth request this minute passes, the fifth is refused.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/customers")).StatusCode);
            var limited = await client.GetAsync("/v1/customers");
            Assert.NotNull(limited.Headers.RetryAfter);
            var problem = await ApiServer.AssertProblemAsync(limited, 429);
            Assert.Contains("4 requests per 60 s", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            Assert.True(File.Exists(database));
            lock (output) Assert.Contains("\"CorrelationId\"", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_serve_verb_refuses_to_start_when_its_rules_do_not_check()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rb-host-process", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var rules = Path.Combine(folder, "broken.rules");
        await File.WriteAllTextAsync(rules, "outcome resolved from no.such.event {}\n");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "rulesbilling.dll"), "serve", "--db", Path.Combine(folder, "b.db"),
                "--rules", rules, "--urls", $"http://127.0.0.1:{FreePort()}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        try
        {
            Assert.Equal(1, process.ExitCode);
            var text = await stderr;
            Assert.Contains("broken.rules:1:", text, StringComparison.Ordinal);
            Assert.Contains("error RB", text, StringComparison.Ordinal);
            Assert.Contains("the server was not started", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("many")]
    public void A_rate_limit_below_one_request_per_minute_is_a_usage_error(string value)
    {
        var stderr = new StringWriter();
        var exit = CliApp.Run(["serve", "--rate-limit", value, "--db", Path.Combine(Path.GetTempPath(), "never-created.db")],
            TextReader.Null, TextWriter.Null, stderr);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.StartsWith("rulesbilling: ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--rate-limit", stderr.ToString(), StringComparison.Ordinal);
    }

    private static async Task WaitForHealthAsync(HttpClient client, Process process, System.Text.StringBuilder output)
    {
        // Bounded: the process gets 60 attempts (about 30 s) to come up.
        for (var attempt = 0; attempt < 60; attempt++)
        {
            if (process.HasExited)
            {
                lock (output) Assert.Fail($"rulesbilling serve exited with {process.ExitCode}: {output}");
            }
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(500);
        }
        lock (output) Assert.Fail($"rulesbilling serve did not answer /health: {output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
