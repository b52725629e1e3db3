using Casewire.Validation;

namespace Casewire.Hosting;

/// <summary>
/// Where this installation is reached from outside, for the absolute links in texts and emails: client
/// portal links (unless the company sets its own) and the staff links of reply notifications.
/// </summary>
sealed class PublicUrlOptions
{
    /// <summary><c>Casewire:PublicBaseUrl</c> (or <c>Portal:PublicBaseUrl</c>): the externally visible address.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Used when neither the company nor <c>Casewire:PublicBaseUrl</c> gives an address: a text needs an
    /// absolute link. Right for a developer's machine only; set <c>Casewire:PublicBaseUrl</c> in production.
    /// </summary>
    public string FallbackBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary><c>Casewire:PublicBaseUrl</c>, else the fallback, without a trailing slash.</summary>
    public string BaseUrl => (PublicBaseUrl ?? FallbackBaseUrl).TrimEnd('/');
}

static class PublicUrls
{
    public static IServiceCollection AddPublicUrls(this IServiceCollection services)
    {
        services.AddOptions<PublicUrlOptions>().BindConfiguration("Portal")
            .Configure<IConfiguration>((o, config) => o.PublicBaseUrl ??= config["Casewire:PublicBaseUrl"])
            .Validate(o => Urls.IsAbsoluteHttp(o.FallbackBaseUrl) && (o.PublicBaseUrl is null || Urls.IsAbsoluteHttp(o.PublicBaseUrl)),
                "Casewire:PublicBaseUrl and Portal:FallbackBaseUrl must be absolute http(s) URLs, e.g. https://casewire.example.com.")
            .ValidateOnStart();
        return services;
    }
}
