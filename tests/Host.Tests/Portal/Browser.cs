using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace RulesBilling.Host.Tests.Portal;

/// <summary>
/// Debian's headless Chromium driven by Selenium through Debian's chromedriver (both installed by
/// <see cref="DebianPackages"/> when missing; Selenium is given both paths, so it downloads nothing).
/// Screenshots go to docs/screenshots when RULESBILLING_SCREENSHOTS=docs (to refresh the README's), else to a temp folder.
/// </summary>
internal sealed class Browser : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"rb-chromium-{Guid.NewGuid():N}");

    public Browser()
    {
        var chromium = DebianPackages.Require("chromium", "chromium");
        var driver = DebianPackages.Require("chromedriver", "chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1100",
            "--no-first-run", "--disable-extensions", $"--user-data-dir={_profile}", "--lang=en-US");
        Driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(3));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromMinutes(2);
        ScreenshotFolder = Environment.GetEnvironmentVariable("RULESBILLING_SCREENSHOTS") == "docs"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(_profile, "screenshots");
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public ChromeDriver Driver { get; }

    public string ScreenshotFolder { get; }

    /// <summary>Saves a PNG of the viewport, grown to the page's height, and returns its path.</summary>
    public string Screenshot(string name)
    {
        var height = Convert.ToInt32(Driver.ExecuteScript("return Math.min(document.documentElement.scrollHeight, 2400);"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, Math.Max(700, height));
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, 1100);
        return path;
    }

    /// <summary>
    /// Clicks something that loads a new page and waits until it has: the old document's root has gone stale and the
    /// new one is complete (a click returns before a form post's answer has replaced the page).
    /// </summary>
    public void ClickAndWait(IWebElement element)
    {
        var old = Driver.FindElement(By.TagName("html"));
        element.Click();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                _ = old.TagName;
            }
            catch (StaleElementReferenceException)
            {
                if (Equals(Driver.ExecuteScript("return document.readyState;"), "complete")) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The click did not load a new page within two minutes.");
            Thread.Sleep(50);
        }
    }

    public IWebElement One(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> All(string css) => Driver.FindElements(By.CssSelector(css));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RulesBilling.sln"))) return dir.FullName;
        throw new InvalidOperationException("RulesBilling.sln not found above the test folder.");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be releasing its profile; the temp folder is cleaned by the system.
        }
    }
}
