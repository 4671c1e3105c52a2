using System.Net;
using System.Text.RegularExpressions;
using RulesBilling.Host.Tests.Api;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>The operator dashboard over HTTP: key sign-in, a signed session cookie, and actions refused without the session's CSRF token or from another origin.</summary>
public sealed partial class DashboardTests
{
    private static HttpClient Browser(PortalScenario s, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = s.Server.Address };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key) =>
        await browser.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", key)]));

    private static string Csrf(string page) => CsrfField().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no CSRF field");

    [Fact]
    public async Task Sign_in_takes_a_tenant_key_and_shows_that_tenants_operations_only()
    {
        await using var s = await PortalScenario.StartAsync();
        using var browser = Browser(s, new CookieContainer());

        Assert.Equal("/dashboard/login", (await browser.GetAsync("/dashboard")).Headers.Location?.OriginalString);
        var wrong = await SignInAsync(browser, "rb_wrong_key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("not a valid tenant API key", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var signedIn = await SignInAsync(browser, s.AcmeKey);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(s.AcmeKey, cookie, StringComparison.Ordinal);

        var page = await (await browser.GetAsync("/dashboard")).Content.ReadAsStringAsync();
        Assert.Contains("<h1>Tenant acme</h1>", page, StringComparison.Ordinal);
        Assert.Contains(s.Cust3Held["id"]!.GetValue<string>(), page, StringComparison.Ordinal);
        Assert.Contains("big_spend", page, StringComparison.Ordinal);
        Assert.Contains("triggered", page, StringComparison.Ordinal);
        Assert.Contains("agent/bad-1", page, StringComparison.Ordinal);
        Assert.DoesNotContain("T-BETA-ONLY", page, StringComparison.Ordinal);
        Assert.DoesNotContain(s.BetaCust1October["id"]!.GetValue<string>(), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_need_the_sessions_csrf_token_and_the_same_origin()
    {
        await using var s = await PortalScenario.StartAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(s, cookies);
        await SignInAsync(browser, s.AcmeKey);
        var csrf = Csrf(await (await browser.GetAsync("/dashboard")).Content.ReadAsStringAsync());
        var held = s.Cust3Held["id"]!.GetValue<string>();
        var release = $"/dashboard/invoices/{held}/release";

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync(release, new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync(release, new FormUrlEncodedContent([new("csrf", csrf[..^2] + "AA")]))).StatusCode);
        using (var foreign = new HttpRequestMessage(HttpMethod.Post, release) { Content = new FormUrlEncodedContent([new("csrf", csrf)]) })
        {
            foreign.Headers.Add("Origin", "https://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(foreign)).StatusCode);
        }
        // Another session's token is not this session's.
        using (var other = Browser(s, new CookieContainer()))
        {
            await SignInAsync(other, s.AcmeKey);
            var otherCsrf = Csrf(await (await other.GetAsync("/dashboard")).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync(release, new FormUrlEncodedContent([new("csrf", otherCsrf)]))).StatusCode);
        }
        Assert.Single((await ApiServer.ReadJsonAsync(await s.Acme.GetAsync("/v1/guards/held"))).AsArray());

        var released = await browser.PostAsync(release, new FormUrlEncodedContent([new("csrf", csrf)]));
        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        Assert.Empty((await ApiServer.ReadJsonAsync(await s.Acme.GetAsync("/v1/guards/held"))).AsArray());
        var audit = await (await s.Acme.GetAsync("/v1/audit")).Content.ReadAsStringAsync();
        Assert.Contains($"invoice.release {held}", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_foreign_session_cookie_is_not_a_session()
    {
        await using var s = await PortalScenario.StartAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(s, cookies);
        await SignInAsync(browser, s.AcmeKey);
        var cookie = cookies.GetCookies(new Uri(s.Server.Address, "/dashboard")).Single(c => c.Name == "rb_dashboard");
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cookie.Value.Split('.')[0]));
        var forgedPayload = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"acme\"", "\"beta\"", StringComparison.Ordinal)));

        var jar = new CookieContainer();
        jar.Add(s.Server.Address, new Cookie("rb_dashboard", forgedPayload + "." + cookie.Value.Split('.')[1], "/dashboard"));
        using var forged = Browser(s, jar);
        Assert.Equal("/dashboard/login", (await forged.GetAsync("/dashboard")).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostAsync("/dashboard/events/replay", new FormUrlEncodedContent([]))).StatusCode);
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
