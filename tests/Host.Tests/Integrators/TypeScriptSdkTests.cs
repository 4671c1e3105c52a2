using System.Text.RegularExpressions;
using RulesBilling.Host.Tests.Api;
using RulesBilling.Host.Tests.Cli;

namespace RulesBilling.Host.Tests.Integrators;

/// <summary>
/// The TypeScript package in sdk/typescript, checked against the document a real server serves: its types are
/// regenerated from that document with openapi-typescript, the package and its tests are compiled with tsc (a route
/// or model the SDK uses that the document lacks is a compile error), and node's test runner runs them against the
/// server: the SDK's own tests and a client generated from the document alone calling every route family.
/// </summary>
public sealed partial class TypeScriptSdkTests(TypeScriptSdkTests.CompiledPackage package) : IClassFixture<TypeScriptSdkTests.CompiledPackage>
{
    [Theory]
    [InlineData("client.test.js")]
    [InlineData("generated.test.js")]
    public void The_typescript_tests_pass_against_a_running_server(string testFile)
    {
        var environment = new Dictionary<string, string>
        {
            ["RULESBILLING_URL"] = package.Server.Address.ToString().TrimEnd('/'),
            ["RULESBILLING_ADMIN_KEY"] = ApiServer.AdminKey,
            ["RULESBILLING_OPENAPI"] = package.Document,
            ["RULESBILLING_RULES_TEXT"] = TestRules.Support,
        };
        var (exit, output) = NodeTools.Run("node", package.Folder, environment, "--test", "--test-reporter=tap", Path.Combine("dist", "test", testFile));
        Assert.True(exit == 0, $"node --test {testFile} failed:\n{NodeTools.Tail(output)}");
        Assert.Matches(FailZero(), output);
        Assert.DoesNotMatch(PassZero(), output);
    }

    /// <summary>One server (clock at 2026-03-20, private webhook URLs allowed) and the package compiled against its document.</summary>
    public sealed class CompiledPackage : IAsyncLifetime
    {
        private DirectoryInfo? _work;

        internal ApiServer Server { get; private set; } = null!;

        public string Folder { get; private set; } = "";

        public string Document { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Server = await ApiServer.StartAsync(
                o => o with { AllowPrivateWebhooks = true },
                clock: new FixedClock(new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero)));
            _work = Directory.CreateTempSubdirectory("rb-ts-sdk-");
            var (documentText, _) = await OpenApiDocumentTests.FetchAsync(Server);
            Document = Path.Combine(_work.FullName, "openapi.json");
            await File.WriteAllTextAsync(Document, documentText);
            Folder = Path.Combine(_work.FullName, "package");
            Copy(Path.Combine(CliProcess.RepoRoot, "sdk", "typescript"), Folder);
            Directory.CreateSymbolicLink(Path.Combine(Folder, "node_modules"), Path.Combine(NodeTools.Root, "node_modules"));

            var (generated, generateOutput) = NodeTools.Run(NodeTools.Bin("openapi-typescript"), Folder, null, Document, "-o", Path.Combine(Folder, "src", "schema.ts"));
            Assert.True(generated == 0, "openapi-typescript failed:\n" + NodeTools.Tail(generateOutput));
            var (compiled, compileOutput) = NodeTools.Run(NodeTools.Bin("tsc"), Folder, null, "-p", ".");
            Assert.True(compiled == 0, "tsc: the SDK does not compile against the served document:\n" + NodeTools.Tail(compileOutput));
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            _work?.Delete(recursive: true);
        }

        private static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            foreach (var folder in Directory.EnumerateDirectories(from))
            {
                var name = Path.GetFileName(folder);
                if (name is not ("node_modules" or "dist")) Copy(folder, Path.Combine(to, name));
            }
        }
    }

    [GeneratedRegex(@"^# fail 0$", RegexOptions.Multiline)]
    private static partial Regex FailZero();

    [GeneratedRegex(@"^# pass 0$", RegexOptions.Multiline)]
    private static partial Regex PassZero();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
