using OpenQA.Selenium;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>
/// The portal and the dashboard in a real browser (headless Chromium) against the real server: navigation, the
/// accessibility structure (landmarks, one h1, table headers, labelled inputs and charts), the drill-down, actions.
/// One class, so one browser runs at a time.
/// </summary>
public sealed class BrowserTests
{
    private static void AssertAccessibleStructure(Browser browser)
    {
        var d = browser.Driver;
        Assert.Equal("en", browser.One("html").GetAttribute("lang"));
        Assert.Single(browser.All("h1"));
        Assert.Single(browser.All("header.banner"));
        Assert.Single(browser.All("main#main"));
        Assert.Single(browser.All("footer"));
        Assert.Equal("#main", new Uri(browser.One("a.skip").GetAttribute("href")!).Fragment);
        foreach (var table in browser.All("table"))
        {
            Assert.NotEmpty(table.FindElements(By.CssSelector("caption")));
            Assert.All(table.FindElements(By.CssSelector("thead th")), th => Assert.Equal("col", th.GetAttribute("scope")));
        }
        foreach (var input in browser.All("input:not([type=hidden])"))
            Assert.NotEmpty(d.FindElements(By.CssSelector($"label[for='{input.GetAttribute("id")}']")));
        foreach (var svg in browser.All("svg"))
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            Assert.NotEmpty(svg.FindElements(By.CssSelector("title")));
        }
        // Nothing is loaded from elsewhere: every stylesheet, script and image is this server's.
        var origin = new Uri(d.Url).GetLeftPart(UriPartial.Authority);
        foreach (var href in browser.All("link[href], script[src], img[src]").Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")))
            Assert.StartsWith(origin, href, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_follows_a_portal_link_from_invoice_to_events_and_reads_usage_and_credits()
    {
        await using var s = await PortalScenario.StartAsync();
        var link = await PortalScenario.LinkAsync(s.Acme, "cust-1");
        using var browser = new Browser();
        var d = browser.Driver;
        var number = s.Cust1October["number"]!.GetValue<string>();

        d.Navigate().GoToUrl(new Uri(s.Server.Address, link));
        Assert.Equal("Invoices", browser.One("h1").Text);
        Assert.Contains("27, 31, 36", browser.One("body").GetCssValue("color"), StringComparison.Ordinal); // the shipped stylesheet is applied
        AssertAccessibleStructure(browser);
        browser.Screenshot("portal-invoices");

        browser.ClickAndWait(d.FindElement(By.LinkText(number)));
        Assert.StartsWith($"Invoice {number}", browser.One("h1").Text, StringComparison.Ordinal);
        Assert.Contains(s.Cust1October["total"]!.GetValue<string>(), browser.One("table.totals").Text, StringComparison.Ordinal);
        Assert.EndsWith("/pdf", d.FindElement(By.LinkText("Download PDF")).GetAttribute("href"), StringComparison.Ordinal);
        AssertAccessibleStructure(browser);
        browser.Screenshot("portal-invoice");

        browser.ClickAndWait(d.FindElement(By.PartialLinkText("Events counted and excluded")));
        Assert.Contains("Counted (2)", browser.All("h2").Select(h => h.Text));
        Assert.Contains("Excluded (1)", browser.All("h2").Select(h => h.Text));
        Assert.Contains("duplicate-key", d.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        AssertAccessibleStructure(browser);
        browser.Screenshot("portal-line-events");

        browser.ClickAndWait(d.FindElement(By.PartialLinkText("resolved T-1")));
        Assert.StartsWith("Outcome resolved", browser.One("h1").Text, StringComparison.Ordinal);
        Assert.Contains("agent/e3", d.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);

        browser.ClickAndWait(d.FindElement(By.LinkText("Usage")));
        Assert.Equal("Usage this period", browser.One("h1").Text);
        Assert.NotEmpty(browser.All("svg polyline.usage"));
        Assert.NotEmpty(browser.All("svg line.limit"));
        Assert.Equal("page", d.FindElement(By.LinkText("Usage")).GetAttribute("aria-current"));
        AssertAccessibleStructure(browser);
        browser.Screenshot("portal-usage");

        browser.ClickAndWait(d.FindElement(By.LinkText("Credits")));
        Assert.Contains("Welcome credit", d.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        AssertAccessibleStructure(browser);
        browser.Screenshot("portal-credits");
        Assert.True(new FileInfo(Path.Combine(browser.ScreenshotFolder, "portal-usage.png")).Length > 1000);
    }

    [Fact]
    public async Task An_operator_signs_in_with_the_tenant_key_releases_a_held_invoice_and_replays_rejected_events()
    {
        await using var s = await PortalScenario.StartAsync();
        using var browser = new Browser();
        var d = browser.Driver;
        var held = s.Cust3Held["id"]!.GetValue<string>();

        d.Navigate().GoToUrl(new Uri(s.Server.Address, "/dashboard"));
        Assert.Equal("Sign in", browser.One("h1").Text);
        AssertAccessibleStructure(browser);
        d.FindElement(By.Id("key")).SendKeys("rb_not_a_key");
        browser.ClickAndWait(d.FindElement(By.CssSelector("button[type=submit]")));
        Assert.Contains("not a valid tenant API key", browser.One("[role=alert]").Text, StringComparison.Ordinal);

        d.FindElement(By.Id("key")).SendKeys(s.AcmeKey);
        browser.ClickAndWait(d.FindElement(By.CssSelector("button[type=submit]")));
        Assert.Equal("Tenant acme", browser.One("h1").Text);
        var heldSection = browser.One("section[aria-labelledby=held]");
        Assert.Contains(held, heldSection.Text, StringComparison.Ordinal);
        Assert.Contains("triggered", heldSection.Text, StringComparison.Ordinal);
        Assert.Contains("agent/bad-1", browser.One("section[aria-labelledby=rejected]").Text, StringComparison.Ordinal);
        AssertAccessibleStructure(browser);
        browser.Screenshot("dashboard");

        browser.ClickAndWait(heldSection.FindElement(By.CssSelector("button[type=submit]")));
        Assert.Contains("was released", browser.One("[role=status]").Text, StringComparison.Ordinal);
        Assert.Contains("No invoice is held", browser.One("section[aria-labelledby=held]").Text, StringComparison.Ordinal);

        browser.ClickAndWait(d.FindElement(By.XPath("//button[normalize-space()='Replay all rejected events']")));
        Assert.Contains("0 accepted, 0 duplicates, 1 still rejected", browser.One("[role=status]").Text, StringComparison.Ordinal);

        browser.ClickAndWait(d.FindElement(By.XPath("//button[normalize-space()='Sign out']")));
        Assert.Equal("Sign in", browser.One("h1").Text);
        d.Navigate().GoToUrl(new Uri(s.Server.Address, "/dashboard"));
        Assert.Equal("Sign in", browser.One("h1").Text);
    }
}
