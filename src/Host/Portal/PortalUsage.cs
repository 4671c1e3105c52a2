using System.Text;
using Mediator;
using RulesBilling.Engine.Activity;
using RulesBilling.Engine.Billing;
using RulesBilling.Engine.Storage;
using RulesBilling.Host.Api.Features.Entitlements;
using RulesBilling.Host.Api.Features.RuleSets;
using RulesBilling.Host.Api.Features.Usage;
using RulesBilling.Host.Api.Infrastructure;
using static RulesBilling.Host.Portal.Html;

namespace RulesBilling.Host.Portal;

/// <summary>
/// The portal's usage page: the current period's outcomes (billable, pending, reversed, excluded) with a chart of their
/// growth, and every entitlement with its usage against its limit, each metered one charted day by day against the limit.
/// </summary>
internal static class PortalUsage
{
    /// <summary>At most this many days are charted (a reset window longer than that shows its latest days).</summary>
    private const int MaxDays = 62;

    public static async Task<string> Body(PortalCaller grant, ISender sender, TimeProvider clock, RuleSetCatalog catalog, IBillingStore billing, CancellationToken ct)
    {
        var b = new StringBuilder("<h1>Usage this period</h1>");
        var now = clock.GetUtcNow();
        try
        {
            var usage = await sender.Send(new GetUsage(grant.Caller, grant.Customer, null), ct);
            var outcomes = await sender.Send(new ListOutcomes(grant.Caller, grant.Customer, null, null, null), ct);
            b.Append("<p>Contract ").Append(E(usage.Contract)).Append(", period ").Append(E(Date(usage.PeriodFrom))).Append(" to ")
             .Append(E(Date(usage.PeriodTo))).Append(", as of ").Append(E(Time(usage.AsOf))).Append(".</p>");
            b.Append(Table("Outcomes this period", ["Outcome", "Billable", "Pending", "Reversed", "Excluded events"],
                usage.Outcomes.Select(o => (IReadOnlyList<string>)
                [
                    E(o.Outcome), E($"{o.Billable.Count} ({Num(o.Billable.Quantity)})"), E($"{o.Pending.Count} ({Num(o.Pending.Quantity)})"),
                    E($"{o.Reversed.Count} ({Num(o.Reversed.Quantity)})"),
                    E(o.Excluded == 0 ? "0" : $"{o.Excluded}: " + string.Join(", ", o.ExcludedByReason.Select(r => $"{r.Key} {r.Value}"))),
                ]), numeric: new HashSet<int> { 1, 2, 3 }, empty: "Nothing billed this period yet."));
            foreach (var name in usage.Outcomes.Select(o => o.Outcome))
            {
                // Billable and pending outcomes are what the period's invoice will bill (pending ones unless reversed).
                var points = Cumulative(outcomes.Outcomes.Where(o => o.Outcome == name && o.State != "reversed").Select(o => (o.EventTime, o.Quantity)));
                b.Append("<h2>").Append(E(name)).Append("</h2>")
                 .Append(UsageChart.Render("chart-outcome-" + name, $"{name} this period", usage.PeriodFrom, usage.PeriodTo, points, null, "quantity"));
            }
            var pending = outcomes.Outcomes.Where(o => o.State == "pending").ToList();
            if (pending.Count > 0)
            {
                b.Append("<h2>Pending outcomes</h2>").Append(Table("Outcomes inside their validation window", ["Outcome", "Key", "Happened", "Billable from"],
                    pending.Select(o => (IReadOnlyList<string>)
                    [
                        $"<a href=\"{E(grant.Href($"/outcomes/{Seg(o.Outcome)}/{string.Join('/', o.Key.Split('/').Select(Seg))}"))}\">{E(o.Outcome)}</a>",
                        E(o.Key), E(Time(o.EventTime)), E(Time(o.BillableAt)),
                    ])));
            }
        }
        catch (ApiProblemException problem)
        {
            b.Append("<p class=\"notice\">").Append(E(problem.Detail)).Append("</p>");
        }

        b.Append("<h2>Entitlements and limits</h2>");
        try
        {
            var entitlements = await sender.Send(new GetEntitlements(grant.Caller, grant.Customer), ct);
            b.Append(Table("Features of your plan", ["Feature", "Access", "Used", "Limit", "Remaining", "Resets"],
                entitlements.Features.Select(f => (IReadOnlyList<string>)
                [
                    E(f.Feature), f.HasAccess ? "yes" : "no",
                    f.Usage is { } used ? E(Num(used)) + (f.Limit is { } lim and > 0 ? $" <meter min=\"0\" max=\"{E(Num(lim))}\" value=\"{E(Num(Math.Min(used, lim)))}\" aria-label=\"{E(f.Feature)} used of limit\"></meter>" : "") : E(Value(f)),
                    E(f.Limit is { } limit ? $"{Num(limit)} ({f.LimitMode})" : f.Kind == "metered" ? "unlimited" : "—"),
                    E(f.Remaining is { } r ? Num(r) : "—"), E(f.ResetsAt is { } at ? Time(at) : "—"),
                ]), empty: "Your plan declares no features."));
            var metered = entitlements.Features.Where(f => f.Kind == "metered" && f.Usage is not null).ToList();
            var rules = metered.Count > 0 ? catalog.Require(grant.Tenant).RuleSet : null;
            // The usage as the entitlement counts it (CustomerActivity.OutcomeUsage / EventCount over the reset window),
            // from the window's start to the end of each day: the same function the entitlement's "used" comes from.
            var activity = rules is null ? null : CustomerActivity.From(rules, grant.Customer, billing.ReadEvents(grant.Tenant, grant.Customer));
            foreach (var feature in metered)
            {
                var from = feature.WindowStart ?? entitlements.At;
                var to = feature.ResetsAt ?? now;
                if (!rules!.Features.TryGetValue(feature.Feature, out var rule)) continue;
                var points = new List<ChartPoint>();
                foreach (var day in Days(from, now))
                {
                    var end = day.AddDays(1) < now ? day.AddDays(1) : now;
                    var window = new BillingPeriodRange(from, end);
                    var used = rule.EventType is { } type ? activity!.EventCount(type, window) : activity!.OutcomeUsage(rule.Outcome!, window);
                    points.Add(new ChartPoint(day, used));
                }
                b.Append("<h3>").Append(E(feature.Feature)).Append("</h3>")
                 .Append(UsageChart.Render("chart-feature-" + feature.Feature, $"{feature.Feature} against its limit", from, to, points, feature.Limit, "used"));
            }
        }
        catch (ApiProblemException problem)
        {
            b.Append("<p class=\"notice\">").Append(E(problem.Detail)).Append("</p>");
        }
        return b.ToString();
    }

    private static string Value(Engine.Entitlements.FeatureEntitlement f) =>
        f.Enabled is { } enabled ? (enabled ? "enabled" : "disabled") : f.Number is { } n ? Num(n) : f.Text ?? "—";

    /// <summary>The start of each UTC day from <paramref name="from"/>'s day to <paramref name="now"/>'s, the latest <see cref="MaxDays"/>.</summary>
    private static List<DateTimeOffset> Days(DateTimeOffset from, DateTimeOffset now)
    {
        var days = new List<DateTimeOffset>();
        for (var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero); day <= now; day = day.AddDays(1)) days.Add(day);
        return days.Count > MaxDays ? days[^MaxDays..] : days;
    }

    /// <summary>The running total at the end of each day something happened.</summary>
    private static List<ChartPoint> Cumulative(IEnumerable<(DateTimeOffset At, decimal Quantity)> items)
    {
        var total = 0m;
        return items.GroupBy(i => i.At.UtcDateTime.Date).OrderBy(g => g.Key)
            .Select(g => new ChartPoint(new DateTimeOffset(g.Key, TimeSpan.Zero), total += g.Sum(i => i.Quantity))).ToList();
    }
}
