using Casewire.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.BrowserTests.Infrastructure;

/// <summary>
/// The real app on a real loopback port (Kestrel), on its own database, for a real browser; plus one
/// headless Chromium shared by the class. Time is still the fake clock of <see cref="CasewireApp"/>.
/// </summary>
public class BrowserApp : CasewireApp
{
    // Generous waits: a shared CI machine under load renders slowly; an assertion still fails when the thing never shows.
    static BrowserApp() => Assertions.SetDefaultExpectTimeout(15_000);

    IPlaywright? _playwright;
    IBrowser? _browser;

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser starts with the fixture.");

    protected override void StartHost()
    {
        UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    protected override async Task BeforeStartAsync()
    {
        await base.BeforeStartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(Chromium.LaunchOptions());
    }

    /// <summary>A fresh browser context (its own cookies) with one page, at the app's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The system Chromium (Debian's package; scripts/test.sh installs it), never a downloaded one.</summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CASEWIRE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static BrowserTypeLaunchOptions LaunchOptions()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"Chromium is not at {ExecutablePath}: install it (apt-get install chromium; scripts/test.sh does) or set CASEWIRE_CHROMIUM.");
        return new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // No sandbox as root (CI); no calls home: this machine's network is closed and Chromium would retry them.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        };
    }
}
