using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Casewire.Hosting;

/// <summary>
/// Casewire behind a TLS reverse proxy (SPEC §11): <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed
/// only from <c>Casewire:TrustedProxies</c> (addresses or CIDR ranges, comma-separated; loopback by default), and when
/// <c>Casewire:PublicBaseUrl</c> is https every cookie (staff sign-in, antiforgery, the one-time secrets) is
/// <c>Secure</c> and HSTS is sent.
/// </summary>
static class BehindAProxy
{
    public const string TrustedProxiesKey = "Casewire:TrustedProxies";

    public static IServiceCollection AddProxySupport(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in TrustedProxies(config[TrustedProxiesKey])) o.KnownIPNetworks.Add(network);
        });
        services.AddOptions<CookiePolicyOptions>().Configure<IOptions<PublicUrlOptions>>((o, urls) =>
        {
            if (IsHttps(urls.Value)) o.Secure = CookieSecurePolicy.Always;
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>Forwarded headers from trusted proxies, then HSTS and Secure cookies when the public address is https.</summary>
    public static WebApplication UseProxySupport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // Decided per request, not while the pipeline is built: a bad public URL is reported by start-up validation.
        app.UseWhen(c => IsHttps(c.RequestServices.GetRequiredService<IOptions<PublicUrlOptions>>().Value), https => https.UseHsts());
        app.UseCookiePolicy();
        return app;
    }

    /// <summary>The configured proxies as networks (a bare address is a network of one); loopback when none are set.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> TrustedProxies(string? setting)
    {
        var entries = (setting ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0) return [System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("::1/128")];
        return entries.Select(Network).ToList();

        static System.Net.IPNetwork Network(string entry)
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network)) return network;
            if (IPAddress.TryParse(entry, out var address))
                return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            throw new InvalidOperationException(
                $"{TrustedProxiesKey}: '{entry}' is not an address or a CIDR range; use e.g. 10.0.0.5 or 10.0.0.0/8, comma-separated.");
        }
    }

    static bool IsHttps(PublicUrlOptions urls) => urls.PublicBaseUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
}
