using System.Net;
using Casewire.Hosting;
using Casewire.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Casewire.Tests.Hosting;

/// <summary>
/// SPEC §11, behind a TLS reverse proxy: with an https public address every cookie is Secure and HSTS is sent;
/// X-Forwarded-Proto is believed only from the proxies in <c>Casewire:TrustedProxies</c>.
/// </summary>
public sealed class BehindAProxyTests(BehindAProxyTests.App app) : IClassFixture<BehindAProxyTests.App>
{
    /// <summary>The peer address a test request claims, standing in for the TCP connection TestServer does not have.</summary>
    const string PeerHeader = "X-Test-Peer";

    public sealed class App : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Casewire:PublicBaseUrl"] = "https://casewire.example.com";
            settings[BehindAProxy.TrustedProxiesKey] = "10.0.0.0/8, 192.0.2.7";
        }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IStartupFilter, Peer>();

        sealed class Peer : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (IPAddress.TryParse(context.Request.Headers[PeerHeader], out var peer)) context.Connection.RemoteIpAddress = peer;
                    return nextMiddleware(context);
                });
                next(app);
            };
        }
    }

    HttpClient Client(string baseAddress) => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false,
    });

    [Fact]
    public async Task OverHttpsEveryCookieIsSecureAndHstsIsSent()
    {
        var response = await Client("https://casewire.example.com").GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"), "no HSTS header");
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EvenOverPlainHttpFromTheProxyTheCookiesAreSecure()
    {
        var response = await Client("http://casewire.example.com").GetAsync("/login");

        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("10.20.30.40", true)] // inside 10.0.0.0/8
    [InlineData("192.0.2.7", true)]
    [InlineData("203.0.113.9", false)] // a client claiming to be a proxy
    [InlineData("127.0.0.1", false)] // loopback is the default only when nothing is configured
    public async Task XForwardedProtoIsBelievedOnlyFromATrustedProxy(string peer, bool believed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add(PeerHeader, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await Client("http://casewire.example.com").SendAsync(request);

        // HSTS is sent on https requests only: it shows whether the request was taken to be https.
        Assert.Equal(believed, response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public void WithoutTheSettingOnlyLoopbackIsTrustedAndABadEntryIsRefusedByName()
    {
        Assert.Equal(["127.0.0.0/8", "::1/128"], BehindAProxy.TrustedProxies(null).Select(n => n.ToString()));
        var configured = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Equal(["10.0.0.0/8", "192.0.2.7/32"], configured.KnownIPNetworks.Select(n => n.ToString()));
        Assert.Empty(configured.KnownProxies);

        var refused = Assert.Throws<InvalidOperationException>(() => BehindAProxy.TrustedProxies("10.0.0.0/8, proxy.local"));
        Assert.Contains("Casewire:TrustedProxies: 'proxy.local'", refused.Message);
    }
}
