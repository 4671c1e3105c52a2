using RulesBilling.Host.Cli;

namespace RulesBilling.Host.Tests.MultiNode;

// In the non-parallel collection: one test sets RULESBILLING_STORE for the whole process.
[Collection(MultiNodeCollection.Name)]
public sealed class ServeStoreOptionTests
{
    [Fact]
    public void Serve_with_an_unreachable_postgres_store_stops_at_start_with_a_clear_error_and_no_password()
    {
        var stderr = new StringWriter();
        var exit = CliApp.Run(["serve", "--store", "postgres://rb:s3cret@127.0.0.1:1/billing?schema=x&Timeout=2", "--urls", "http://127.0.0.1:0"],
            TextReader.Null, TextWriter.Null, stderr);

        Assert.Equal(CliApp.Failed, exit);
        var text = stderr.ToString();
        Assert.StartsWith("rulesbilling: ", text, StringComparison.Ordinal);
        Assert.Contains("cannot open the PostgreSQL store 127.0.0.1:1/billing/x", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_store_variable_names_the_postgres_store_when_no_option_is_given()
    {
        var stderr = new StringWriter();
        var before = Environment.GetEnvironmentVariable("RULESBILLING_STORE");
        Environment.SetEnvironmentVariable("RULESBILLING_STORE", "Host=127.0.0.1;Port=1;Database=from_env;Timeout=2");
        try
        {
            var exit = CliApp.Run(["serve", "--urls", "http://127.0.0.1:0"], TextReader.Null, TextWriter.Null, stderr);
            Assert.Equal(CliApp.Failed, exit);
            Assert.Contains("cannot open the PostgreSQL store 127.0.0.1:1/from_env", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RULESBILLING_STORE", before);
        }
    }
}
