namespace RulesBilling.Host.Portal;

/// <summary>The files the pages and the PDF need, shipped inside the assembly (no CDN, no font installed on the machine).</summary>
internal static class PortalAssets
{
    private static readonly Lazy<string> Css = new(() => System.Text.Encoding.UTF8.GetString(Read("portal.css")));

    public static byte[] Read(string name)
    {
        using var stream = typeof(PortalAssets).Assembly.GetManifestResourceStream("RulesBilling.Host.Portal.Assets." + name)
            ?? throw new InvalidOperationException($"The portal asset '{name}' is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static IResult Stylesheet() => Results.Text(Css.Value, "text/css; charset=utf-8");
}
