using System.Threading.RateLimiting;
using Mediator;
using Microsoft.AspNetCore.RateLimiting;
using RulesBilling.Dsl.Model;
using RulesBilling.Dsl.Text;
using RulesBilling.Engine.Entitlements;
using RulesBilling.Engine.Ingestion;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Behaviors;
using RulesBilling.Host.Api.Endpoints;
using RulesBilling.Host.Api.Features.Entitlements;
using RulesBilling.Host.Api.Features.Invoices;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Features.Usage;
using RulesBilling.Host.Api.Infrastructure;
using RulesBilling.Host.Api.OpenApi;
using RulesBilling.Host.Api.Storage;
using RulesBilling.Host.Accounting;
using RulesBilling.Host.Payments;
using RulesBilling.Host.Portal;
using RulesBilling.Host.Dashboard;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace RulesBilling.Host.Api;

/// <summary>
/// Builds the hosted engine: one database per process, the middleware chain (problem+json errors, correlation id,
/// request logging, body limit, rate limit, API keys) and every endpoint. Tests build it exactly like <c>serve</c>.
/// </summary>
internal static class ApiApplication
{
    public static WebApplication Create(
        ServeOptions options,
        CompiledRuleSet? startupRules,
        Func<IReadOnlyList<SourceText>, RuleSetCheck> checkRules,
        TextWriter logOutput,
        TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The content root must not depend on where the process was started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

        builder.Services.AddSerilog(CreateLogger(options, logOutput), dispose: true);
        builder.Services.AddSingleton(clock);
        builder.Services.AddStorage(options);
        builder.Services.AddPayments(options.Payments);
        builder.Services.AddSingleton(sp => new RuleSetCatalog(startupRules, checkRules, sp.GetRequiredService<ITenantStore>(), sp.GetService<SharedRuleSetVersion>()?.Latest));
        builder.Services.AddBilling();
        builder.Services.AddSingleton(options);
        builder.Services.AddEntitlements(options.AllowPrivateWebhooks, clock);
        // Outcome state is written in the append transaction; notifications are raised by the webhook worker from the
        // store's change feed, not by the ingestion request.
        builder.Services.AddSingleton(sp => new EventIngestor(sp.GetRequiredService<IBillingStore>(), clock));
        builder.Services.AddSingleton(options.PortalKeys);
        builder.Services.AddSingleton<DashboardSessions>();

        builder.Services.AddMediator((MediatorOptions mediator) =>
        {
            mediator.ServiceLifetime = ServiceLifetime.Scoped;
            mediator.GenerateTypesAsInternal = true;
            mediator.PipelineBehaviors =
            [
                typeof(LoggingBehavior<,>),
                typeof(AuditBehavior<,>),
                typeof(ValidationBehavior<,>),
            ];
        });

        // A parameter that does not bind throws, so the exception handler can name it (ParameterErrors) instead of
        // the status page answering a bare 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["correlationId"] = context.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddRateLimiter(limiter => ConfigureRateLimit(limiter, options));
        builder.Services.AddApiDocument(options);

        var app = builder.Build();
        app.UseCorrelationId();
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodeProblems();
        app.UseRequestBodyLimit(options.MaxRequestBodyBytes);
        app.UseRateLimiter();
        var failedKeys = new FailedKeyLimiter(options.FailedKeyPermits, options.RateLimitWindow);
        app.Lifetime.ApplicationStopped.Register(failedKeys.Dispose);
        app.UseApiKeyAuthentication(options.AdminKey, failedKeys);

        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithTags("Health").WithSummary("Liveness: the process is up.");
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapTenantEndpoints();
        app.MapEventEndpoints();
        app.MapRuleSetEndpoints();
        app.MapCustomerEndpoints();
        app.MapUsageEndpoints();
        app.MapInvoiceEndpoints();
        app.MapAuditEndpoints();
        app.MapEntitlementEndpoints();
        app.MapWebhookEndpoints();
        app.MapPaymentEndpoints();
        app.MapJournalEndpoints();
        app.MapPortalLinkEndpoints();
        app.MapInvoiceDocumentEndpoints();
        app.MapPortalPages();
        app.MapDashboardPages(failedKeys);
        return app;
    }

    private static Serilog.ILogger CreateLogger(ServeOptions options, TextWriter output)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.With<PortalLogRedaction>();
        ITextFormatter formatter = options.JsonLogs
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(
                "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}",
                System.Globalization.CultureInfo.InvariantCulture);
        return configuration.WriteTo.Sink(new TextWriterSink(formatter, output)).CreateLogger();
    }

    private static void ConfigureRateLimit(RateLimiterOptions limiter, ServeOptions options)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            // Partition by the key's hash so the limiter never holds keys in memory; anonymous callers by address.
            var key = ApiKeyAuthentication.PresentedKey(context.Request);
            var partition = key is null ? "addr:" + context.Connection.RemoteIpAddress : "key:" + ApiKeys.Hash(key);
            return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.RateLimitPermits,
                Window = options.RateLimitWindow,
                QueueLimit = 0,
            });
        });
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            var http = context.HttpContext;
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await http.WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This key may make {options.RateLimitPermits} requests per {options.RateLimitWindow.TotalSeconds:0} s; retry later.");
        };
    }
}
