namespace RulesBilling.Host.Tests.Cli.Scripting;

public sealed class AllowScriptsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rb-scripts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Check_refuses_scripts_unless_allowed_and_then_checks_them()
    {
        File.WriteAllText(Path.Combine(_dir, "big.csx"), "return e.total > 100m;");
        File.WriteAllText(Path.Combine(_dir, "orders.rules"), """
            event order.paid {
              total: money USD
            }

            outcome big_order from order.paid {
              when script "big.csx"
            }
            """);

        var refused = CliProcess.Run(_dir, "check", "orders.rules");
        var allowed = CliProcess.Run(_dir, "check", "orders.rules", "--allow-scripts");

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("orders.rules:6:8: error RB0501: C# scripts are disabled", refused.Stderr);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("", allowed.Stderr);
    }
}
