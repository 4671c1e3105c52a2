using System.Globalization;
using System.Text;
using static RulesBilling.Host.Portal.Html;

namespace RulesBilling.Host.Portal;

/// <summary>One point of a usage chart: the value reached at the end of <see cref="At"/>'s day.</summary>
internal sealed record ChartPoint(DateTimeOffset At, decimal Value);

/// <summary>
/// A step chart of usage over a period as inline SVG drawn on the server (no script, no external library): the usage
/// line, the limit as a dashed line when there is one, labelled axes, and a title and description for screen readers;
/// the same numbers follow in a table.
/// </summary>
internal static class UsageChart
{
    private const int Width = 640, Height = 240, Left = 56, Right = 16, Top = 16, Bottom = 40;

    public static string Render(string id, string title, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<ChartPoint> points, decimal? limit, string unit)
    {
        var max = Math.Max(points.Count == 0 ? 0m : points.Max(p => p.Value), limit ?? 0m);
        if (max <= 0m) max = 1m;
        max *= 1.1m;
        var span = Math.Max(1.0, (to - from).TotalSeconds);
        double X(DateTimeOffset at) => Left + (Width - Left - Right) * Math.Clamp((at - from).TotalSeconds / span, 0, 1);
        double Y(decimal v) => Top + (Height - Top - Bottom) * (1 - (double)(v / max));
        string F(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);

        var last = points.Count == 0 ? "no usage yet" : $"{Num(points[^1].Value)} {unit} by {Date(points[^1].At)}";
        var desc = limit is { } l ? $"Usage from {Date(from)} to {Date(to)}: {last}; the limit is {Num(l)} {unit}." : $"Usage from {Date(from)} to {Date(to)}: {last}.";
        var b = new StringBuilder();
        b.Append("<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(Height)
         .Append("\" role=\"img\" aria-labelledby=\"").Append(E(id)).Append("-t ").Append(E(id)).Append("-d\">")
         .Append("<title id=\"").Append(E(id)).Append("-t\">").Append(E(title)).Append("</title>")
         .Append("<desc id=\"").Append(E(id)).Append("-d\">").Append(E(desc)).Append("</desc>");
        // Axes and three horizontal grid lines with their values.
        b.Append($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#4a5360\"/>");
        b.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#4a5360\"/>");
        for (var i = 1; i <= 3; i++)
        {
            var v = max / 1.1m * i / 3;
            b.Append($"<line x1=\"{Left}\" y1=\"{F(Y(v))}\" x2=\"{Width - Right}\" y2=\"{F(Y(v))}\" stroke=\"#e1e5ea\"/>");
            b.Append($"<text x=\"{Left - 6}\" y=\"{F(Y(v) + 4)}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1b1f24\">{E(Num(decimal.Round(v, 2)))}</text>");
        }
        b.Append($"<text x=\"{Left}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" fill=\"#1b1f24\">{E(Date(from))}</text>");
        b.Append($"<text x=\"{Width - Right}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1b1f24\">{E(Date(to))}</text>");
        b.Append($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1f24\">{E(unit)} (cumulative)</text>");
        if (limit is { } lim)
        {
            b.Append($"<line class=\"limit\" x1=\"{Left}\" y1=\"{F(Y(lim))}\" x2=\"{Width - Right}\" y2=\"{F(Y(lim))}\" stroke=\"#a4161a\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>");
            b.Append($"<text x=\"{Width - Right - 4}\" y=\"{F(Y(lim) - 5)}\" font-size=\"11\" text-anchor=\"end\" fill=\"#a4161a\">limit {E(Num(lim))}</text>");
        }
        if (points.Count > 0)
        {
            var path = new StringBuilder($"{F(X(from))},{F(Y(0))}");
            var previous = 0m;
            foreach (var p in points)
            {
                path.Append($" {F(X(p.At))},{F(Y(previous))} {F(X(p.At))},{F(Y(p.Value))}");
                previous = p.Value;
            }
            b.Append($"<polyline class=\"usage\" fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2.5\" points=\"{path}\"/>");
        }
        b.Append("</svg><figcaption>").Append(E(desc)).Append("</figcaption></figure>");
        b.Append("<details><summary>Chart data</summary>")
         .Append(Table(title, ["Day", unit], points.Select(p => (IReadOnlyList<string>)[E(Date(p.At)), E(Num(p.Value))]), numeric: new HashSet<int> { 1 }, empty: "No usage yet."))
         .Append("</details>");
        return b.ToString();
    }
}
